package io.spikering.training;

import io.spikering.neuron.FdlibmTanh;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FdlibmTanh} over rows of float pre-activations with the incubating Vector API, all lanes down every branch of
 * fdlibm's tanh and expm1 with the branch results selected per lane: the same double operations in the same order,
 * so the same bits as {@link FdlibmTanh} and {@link StrictMath#tanh} ({@code FdlibmTanhTest}). Simplifications that
 * keep the bits: expm1's reduction with k = 0 computes hi = x − 0·ln2_hi = x, lo = 0, c = 0 exactly, and with k = ±1
 * the general formula is the special case's; tanh's two quotients share one division (numerator 2 or −t over t + 2);
 * signs are set with bit operations where the value is known to be >= +0. A chunk with a NaN, a zero or a |v| &lt; 2^-55
 * goes to the scalar code. About 4–5 ns a value on this machine's AVX-512 (loaded), against 10 for the scalar port and
 * 30–35 for Math.tanh.
 */
final class VectorFdlibmTanh
{
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final double HUGE_RESULT = 1.0 - 1.0e-300;
    /** 1.5·2^52: adding and subtracting it rounds |v| &lt; 2^51 to an integer, and v + ROUND holds that integer in its low bits. */
    private static final double ROUND = 0x1.8p52;
    private static final long ROUND_BITS = Double.doubleToRawLongBits(ROUND);
    private static final long SIGN_BIT = 0x8000000000000000L;
    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);
    /** fdlibm's high-word thresholds as doubles: |x| has high word &lt;= 0x3fd62e42 iff |x| &lt; this (0.5·ln2). */
    private static final double REDUCED_START = Double.longBitsToDouble(0x3fd62e4300000000L);
    /** High word &lt; 0x3FF0A2B2 iff |x| &lt; this (1.5·ln2). */
    private static final double MIDDLE_END = Double.longBitsToDouble(0x3FF0A2B200000000L);

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
            chunk(out, j);
        }
        for (int j = vectors; j < n; j++)
        {
            out[j] = FdlibmTanh.tanh(out[j]);
        }
    }

    /**
     * out[j..j+LANES) = tanh of themselves. One method from load to store: a vector passed to or returned from a method
     * that C2 does not inline is boxed (an allocation per call, and several ns a value instead of under one).
     */
    private static void chunk(final double[] out, final int j)
    {
        final DoubleVector v = DoubleVector.fromArray(SPECIES, out, j);
        final DoubleVector av = v.abs();
        // NaN, ±0 and |v| < 2^-55 (v·(1 + v)) go to the scalar code: then every lane takes expm1's main path
        if (!av.compare(VectorOperators.GE, 0x1.0p-55).allTrue())
        {
            for (int i = j; i < j + LANES; i++)
            {
                out[i] = FdlibmTanh.tanh(out[i]);
            }
            return;
        }
        final VectorMask<Double> belowOne = av.compare(VectorOperators.LT, 1.0);
        final DoubleVector twice = av.mul(2.0);
        // t = expm1(x) with x = 2|v| (|v| >= 1) or −2|v|: the sign bit of |v| − 1 is that of x (no mask needed)
        final LongVector negative = av.sub(1.0).reinterpretAsLongs().and(SIGN_BIT);
        final DoubleVector x = twice.reinterpretAsLongs().or(negative).reinterpretAsDoubles();
        final DoubleVector sign = negative.or(ONE_BITS).reinterpretAsDoubles();
        // JDK 17 compiles neither D2L/L2D conversions nor mask casts between lane types (they run as Java loops), so k stays a
        // double: the truncation by rounding with 1.5·2^52 and a step toward zero, the integer read from the low bits.
        // k: 0 for |x| <= 0.5·ln2 (fdlibm compares the high word), ±1 below 1.5·ln2, else trunc(x/ln2 ± 0.5); for tanh's
        // arguments k >= 3 when x >= 2 and k <= 0 when x < 0, so fdlibm's k = 1 case never arises
        final DoubleVector d = x.mul(FdlibmTanh.INV_LN2).add(sign.mul(0.5));
        final DoubleVector nearest = d.add(ROUND).sub(ROUND);
        DoubleVector tk = nearest.sub(sign, nearest.abs().compare(VectorOperators.GT, d.abs()));
        tk = tk.blend(sign, twice.compare(VectorOperators.LT, MIDDLE_END));
        tk = tk.blend(0.0, twice.compare(VectorOperators.LT, REDUCED_START));
        final LongVector exponent = tk.add(ROUND).reinterpretAsLongs().sub(ROUND_BITS).lanewise(VectorOperators.LSHL, 52);
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
        final DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
        final DoubleVector k0 = xr.sub(xr.mul(e).sub(hxs));
        final DoubleVector e2 = xr.mul(e.sub(c)).sub(c).sub(hxs);
        final DoubleVector minusOne = xr.sub(e2).mul(0.5).sub(0.5);
        // k <= -2 or k > 56: (1 − (e − x)) scaled by 2^k, minus 1
        final DoubleVector far = one.sub(e2.sub(xr)).reinterpretAsLongs().add(exponent).reinterpretAsDoubles().sub(1.0);
        // 2^−k from its exponent field (fdlibm sets the high word); 1 − 2^−k is exact for k < 20
        final DoubleVector powMinus = exponent.neg().add(0x3ffL << 52).reinterpretAsDoubles();
        // 2 <= k < 20: (1 − 2^−k) − (e − x), scaled by 2^k
        final DoubleVector middle = one.sub(powMinus).sub(e2.sub(xr)).reinterpretAsLongs().add(exponent).reinterpretAsDoubles();
        // 20 <= k <= 56: (x − (e + 2^−k)) + 1, scaled by 2^k
        final DoubleVector upper = xr.sub(e2.add(powMinus)).add(1.0).reinterpretAsLongs().add(exponent).reinterpretAsDoubles();
        DoubleVector y = upper;
        y = y.blend(middle, tk.compare(VectorOperators.LT, 20.0));
        y = y.blend(far, tk.compare(VectorOperators.LE, -2.0).or(tk.compare(VectorOperators.GT, 56.0)));
        y = y.blend(minusOne, tk.compare(VectorOperators.EQ, -1.0));
        y = y.blend(k0, tk.compare(VectorOperators.EQ, 0.0));
        // tanh(|v|) = 1 − 2/(t + 2) for |v| >= 1, else −t/(t + 2); 1 (1 − tiny) from 22 on; then v's sign on it (it is >= +0)
        final DoubleVector q = DoubleVector.broadcast(SPECIES, 2.0).blend(y.neg(), belowOne).div(y.add(2.0));
        DoubleVector r = one.sub(q).blend(q, belowOne);
        r = r.blend(HUGE_RESULT, av.compare(VectorOperators.GE, 22.0));
        r.reinterpretAsLongs().or(v.reinterpretAsLongs().and(SIGN_BIT)).reinterpretAsDoubles().intoArray(out, j);
    }
}
