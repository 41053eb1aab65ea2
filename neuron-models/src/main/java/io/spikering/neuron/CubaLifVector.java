package io.spikering.neuron;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API form of {@link CubaLif}'s update loop (loaded only when the JVM has the {@code jdk.incubator.vector}
 * module): the same separate multiplies and adds per lane in the same order as the scalar loop (no fused multiply-add),
 * so every value is bit-identical, plus two things the auto-vectorised scalar loop cannot do in the same pass: it
 * clears the inputs it read, and it compares the new potentials with the threshold, recording only the blocks of
 * lanes where some potential is not below it (or NaN), so that the threshold scan visits a few blocks instead of
 * every neuron.
 */
final class CubaLifVector
{
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    /** Neurons per block. */
    static final int LANES = SPECIES.length();
    /**
     * Index phase (mod LANES) of the elements of a double[] that start a vector-sized, aligned block when the array
     * itself starts on a 64-byte boundary (-XX:ObjectAlignmentInBytes=64, as the launcher runs {@code bench}): blocks
     * from there load and store without splitting cache lines. Harmless without the option (any phase is as good).
     */
    private static final int ALIGNED = Math.floorMod(-sun.misc.Unsafe.ARRAY_DOUBLE_BASE_OFFSET / Double.BYTES, LANES);

    private CubaLifVector()
    {
    }

    /**
     * Updates whole blocks of neurons from {@code lo} up to {@link #end}{@code (lo, hi)} as CubaLif's scalar loop does,
     * zeroes the inputs read when {@code clear}, and writes the first index of every block with a potential not below
     * {@code vTh} to {@code candidates[at..at + k)} in ascending order; returns k.
     */
    static int update(final double[] v, final double[] iEx, final double[] iIn, final double[] exInput, final double[] inInput,
        final boolean clear, final int lo, final int hi, final double eL, final double p22, final double p21ex, final double p21in,
        final double p11ex, final double p11in, final double vTh, final int[] candidates, final int at)
    {
        final int end = end(lo, hi);
        final DoubleVector zero = DoubleVector.zero(SPECIES);
        final DoubleVector rest = DoubleVector.broadcast(SPECIES, eL);
        int k = at;
        for (int i = lo; i < end; i += LANES)
        {
            final DoubleVector ex = DoubleVector.fromArray(SPECIES, exInput, i);
            final DoubleVector in = DoubleVector.fromArray(SPECIES, inInput, i);
            final DoubleVector a = DoubleVector.fromArray(SPECIES, iEx, i);
            final DoubleVector b = DoubleVector.fromArray(SPECIES, iIn, i);
            // eL + (v − eL)·p22 + iEx·p21ex + iIn·p21in + (ex·0 + in·0), left to right as in CubaLif
            final DoubleVector next = rest.add(DoubleVector.fromArray(SPECIES, v, i).sub(eL).mul(p22))
                .add(a.mul(p21ex)).add(b.mul(p21in)).add(ex.mul(0.0).add(in.mul(0.0)));
            next.intoArray(v, i);
            a.mul(p11ex).add(ex).intoArray(iEx, i);
            b.mul(p11in).add(in).intoArray(iIn, i);
            if (clear)
            {
                zero.intoArray(exInput, i);
                zero.intoArray(inInput, i);
            }
            if (!next.compare(VectorOperators.LT, vTh).allTrue())
            {
                candidates[k++] = i;
            }
        }
        return k - at;
    }

    /** Where the aligned blocks of [lo, hi) begin (lo + 0 .. LANES − 1, at most hi). */
    static int start(final int lo, final int hi)
    {
        return Math.min(hi, lo + Math.floorMod(ALIGNED - lo, LANES));
    }

    /** End of the whole blocks from {@code lo} within {@code [lo, hi)}. */
    static int end(final int lo, final int hi)
    {
        return lo + SPECIES.loopBound(hi - lo);
    }
}
