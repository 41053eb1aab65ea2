package io.spikering.training;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FdlibmTanh} over rows of float pre-activations with the incubating Vector API, all lanes down every branch of
 * fdlibm's tanh and expm1 with the branch results selected per lane: the same double operations in the same order,
 * so the same bits as {@link FdlibmTanh} and {@link StrictMath#tanh} ({@code FdlibmTanhTest}). Two simplifications
 * that keep the bits: expm1's reduction with k = 0 computes hi = x − 0·ln2_hi = x, lo = 0, c = 0 exactly, and with
 * k = ±1 the general formula is the special case's; tanh's two quotients share one division (numerator 2 or −t over
 * t + 2). A chunk with a NaN goes to the scalar code.
 */
final class VectorFdlibmTanh
{
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final double HUGE_RESULT = 1.0 - 1.0e-300;

    private VectorFdlibmTanh()
    {
    }

    /** out[j] = tanh(z[j]) for j &lt; n. */
    static void apply(final float[] z, final double[] out, final int n)
    {
        for (int j = 0; j < n; j++)
        {
            out[j] = z[j];
        }
        final int vectors = n / LANES * LANES;
        for (int j = 0; j < vectors; j += LANES)
        {
            final DoubleVector x = DoubleVector.fromArray(SPECIES, out, j);
            final DoubleVector ax = x.abs();
            final VectorMask<Double> regular = ax.compare(VectorOperators.LT, 22.0);
            final VectorMask<Double> huge = ax.compare(VectorOperators.GE, 22.0);
            if (!regular.or(huge).allTrue())
            {
                for (int i = j; i < j + LANES; i++)
                {
                    out[i] = FdlibmTanh.tanh(out[i]);
                }
                continue;
            }
            final VectorMask<Double> atLeastOne = ax.compare(VectorOperators.GE, 1.0);
            final DoubleVector twice = ax.mul(2.0);
            final DoubleVector t = expm1(twice.blend(twice.neg(), atLeastOne.not()));
            // |x| >= 1: 1 − 2/(t + 2); else −t/(t + 2)
            final DoubleVector q = DoubleVector.broadcast(SPECIES, 2.0).blend(t.neg(), atLeastOne.not()).div(t.add(2.0));
            DoubleVector r = q.blend(DoubleVector.broadcast(SPECIES, 1.0).sub(q), atLeastOne);
            r = r.blend(DoubleVector.broadcast(SPECIES, HUGE_RESULT), huge);
            r = r.blend(r.neg(), x.compare(VectorOperators.LT, 0.0));
            // |x| < 2^-55 (and ±0): x·(1 + x)
            r = r.blend(x.mul(x.add(1.0)), ax.compare(VectorOperators.LT, 0x1.0p-55));
            r.intoArray(out, j);
        }
        for (int j = vectors; j < n; j++)
        {
            out[j] = FdlibmTanh.tanh(out[j]);
        }
    }

    /** fdlibm's expm1 for finite x with |x| &lt; 56·ln2 or 0 &lt; x &lt; 709 (not its tiny case: |x| &gt;= 2^-54 where it matters). */
    static DoubleVector expm1(final DoubleVector x)
    {
        final LongVector hx = x.abs().reinterpretAsLongs().lanewise(VectorOperators.LSHR, 32);
        final VectorMask<Double> negative = x.compare(VectorOperators.LT, 0.0);
        final DoubleVector half = DoubleVector.broadcast(SPECIES, 0.5).blend(DoubleVector.broadcast(SPECIES, -0.5), negative);
        final DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
        // k: 0 for |x| <= 0.5·ln2 (high word), ±1 below 1.5·ln2, else trunc(x/ln2 ± 0.5)
        LongVector k = x.mul(FdlibmTanh.INV_LN2).add(half).convert(VectorOperators.D2L, 0).reinterpretAsLongs();
        final LongVector sign = LongVector.broadcast(LongVector.SPECIES_PREFERRED, 1L)
            .blend(-1L, negative.cast(LongVector.SPECIES_PREFERRED));
        k = k.blend(sign, hx.compare(VectorOperators.LT, 0x3FF0A2B2L));
        k = k.blend(0L, hx.compare(VectorOperators.LE, 0x3fd62e42L));
        final DoubleVector tk = k.convert(VectorOperators.L2D, 0).reinterpretAsDoubles();
        final DoubleVector hi = x.sub(tk.mul(FdlibmTanh.LN2_HI));
        final DoubleVector lo = tk.mul(FdlibmTanh.LN2_LO);
        final DoubleVector xr = hi.sub(lo);
        final DoubleVector c = hi.sub(xr).sub(lo);
        final DoubleVector hfx = xr.mul(0.5);
        final DoubleVector hxs = xr.mul(hfx);
        final DoubleVector r1 = hxs.mul(hxs.mul(hxs.mul(hxs.mul(hxs.mul(FdlibmTanh.Q5).add(FdlibmTanh.Q4)).add(FdlibmTanh.Q3))
            .add(FdlibmTanh.Q2)).add(FdlibmTanh.Q1)).add(1.0);
        final DoubleVector t = DoubleVector.broadcast(SPECIES, 3.0).sub(r1.mul(hfx));
        final DoubleVector e = hxs.mul(r1.sub(t).div(DoubleVector.broadcast(SPECIES, 6.0).sub(xr.mul(t))));
        final DoubleVector k0 = xr.sub(xr.mul(e).sub(hxs));
        final DoubleVector e2 = xr.mul(e.sub(c)).sub(c).sub(hxs);
        final DoubleVector minusOne = xr.sub(e2).mul(0.5).sub(0.5);
        final DoubleVector plusOne = e2.sub(xr.add(0.5)).mul(-2.0)
            .blend(one.add(xr.sub(e2).mul(2.0)), xr.compare(VectorOperators.LT, -0.25).not());
        final LongVector exponent = k.lanewise(VectorOperators.LSHL, 52);
        // k <= -2 or k > 56: (1 − (e − x)) scaled by 2^k, minus 1
        final DoubleVector far = one.sub(e2.sub(xr)).reinterpretAsLongs().add(exponent).reinterpretAsDoubles().sub(1.0);
        // 2 <= k < 20: (1 − 2^−k) − (e − x), scaled by 2^k
        final DoubleVector oneMinus = LongVector.broadcast(LongVector.SPECIES_PREFERRED, 0x200000L).lanewise(VectorOperators.ASHR, k)
            .neg().add(0x3ff00000L).lanewise(VectorOperators.LSHL, 32).reinterpretAsDoubles();
        final DoubleVector middle = oneMinus.sub(e2.sub(xr)).reinterpretAsLongs().add(exponent).reinterpretAsDoubles();
        // 20 <= k <= 56: (x − (e + 2^−k)) + 1, scaled by 2^k
        final DoubleVector powMinus = k.neg().add(0x3ffL).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        final DoubleVector upper = xr.sub(e2.add(powMinus)).add(1.0).reinterpretAsLongs().add(exponent).reinterpretAsDoubles();
        DoubleVector y = upper;
        y = y.blend(middle, k.compare(VectorOperators.LT, 20L).cast(SPECIES));
        y = y.blend(far, k.compare(VectorOperators.LE, -2L).or(k.compare(VectorOperators.GT, 56L)).cast(SPECIES));
        y = y.blend(plusOne, k.compare(VectorOperators.EQ, 1L).cast(SPECIES));
        y = y.blend(minusOne, k.compare(VectorOperators.EQ, -1L).cast(SPECIES));
        return y.blend(k0, k.compare(VectorOperators.EQ, 0L).cast(SPECIES));
    }
}
