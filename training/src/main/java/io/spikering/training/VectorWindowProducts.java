package io.spikering.training;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link WindowProducts} with the incubating Vector API (run with {@code --add-modules jdk.incubator.vector}): register
 * tiles of 8 rows × 2 vectors for the pre-activation and 4 memory dimensions × 2 vectors for the gradient (with 8 the
 * gradient's 16 accumulators and 8 row vectors spill: 24 against 30 GMAC/s), so each loaded vector feeds several
 * multiply-adds instead of one load and one store per multiply-add in axpy form. Each product is rounded and then added,
 * in {@link ScalarWindowProducts}' order, so both give identical bits; remainder rows, dimensions and columns go to the
 * plain loops.
 */
final class VectorWindowProducts implements WindowProducts
{
    private static final VectorSpecies<Float> SPECIES = VectorMatrixOps.SPECIES;
    private static final int LANES = VectorMatrixOps.LANES;
    /**
     * The gradient's memory rows transposed, dimension-major (memT[i·rows + r]): the tile's 16 scalars per block of rows
     * then come from 4 runs of consecutive floats indexed by the row loop, whose range checks C2 hoists, instead of 16
     * loads at data-dependent offsets. 47–51 against 38–40 GMAC/s with the transposition counted (loaded, 160 rows of
     * 10 random samples); the same values, so the same bits. Grown once; one instance per {@link ShardKernel}.
     */
    private float[] memT = new float[0];

    @Override
    public String describe()
    {
        return "Vector API tiles (" + LANES + " float lanes)";
    }

    /** Kept apart so that {@link WindowProducts#best} names no Vector API type when the module is absent. */
    static final class Factory
    {
        private Factory()
        {
        }

        static WindowProducts create()
        {
            return new VectorWindowProducts();
        }
    }

    @Override
    public void preactivation(final float[] mem, final int[] memOffset, final int rows, final int d, final float[] w, final int n,
        final float[][] z)
    {
        final int tiled = rows / 8 * 8;
        final int columns = n / (2 * LANES) * (2 * LANES);
        for (int j = 0; j < columns; j += 2 * LANES)
        {
            for (int r = 0; r < tiled; r += 8)
            {
                preactivation8(mem, memOffset, r, d, w, n, z, j);
            }
        }
        ScalarWindowProducts.preactivation(mem, memOffset, tiled, rows, d, w, n, z, 0, columns);
        ScalarWindowProducts.preactivation(mem, memOffset, 0, rows, d, w, n, z, columns, n);
    }

    @Override
    public void gradient(final float[] mem, final int[] memOffset, final int rows, final int d, final float[][] dz, final int n,
        final float[] grad)
    {
        final int tiled = d / 4 * 4;
        final int columns = n / (2 * LANES) * (2 * LANES);
        if (columns > 0 && tiled > 0)
        {
            if (memT.length < rows * tiled)
            {
                memT = new float[rows * tiled];
            }
            for (int r = 0; r < rows; r++)
            {
                final int o = memOffset[r];
                for (int i = 0; i < tiled; i++)
                {
                    memT[i * rows + r] = mem[o + i];
                }
            }
        }
        for (int j = 0; j < columns; j += 2 * LANES)
        {
            for (int i = 0; i < tiled; i += 4)
            {
                gradient4(memT, rows, i, dz, n, grad, j);
            }
        }
        ScalarWindowProducts.gradient(mem, memOffset, rows, tiled, d, dz, n, grad, 0, columns);
        ScalarWindowProducts.gradient(mem, memOffset, rows, 0, d, dz, n, grad, columns, n);
    }

    /** Rows r0..r0+7, columns j..j+2·LANES: z_r = Σ_i m_r[i]·w_i, from zero in ascending i. */
    private static void preactivation8(final float[] mem, final int[] memOffset, final int r0, final int d, final float[] w, final int n,
        final float[][] z, final int j)
    {
        final int o0 = memOffset[r0 + 0];
        final int o1 = memOffset[r0 + 1];
        final int o2 = memOffset[r0 + 2];
        final int o3 = memOffset[r0 + 3];
        final int o4 = memOffset[r0 + 4];
        final int o5 = memOffset[r0 + 5];
        final int o6 = memOffset[r0 + 6];
        final int o7 = memOffset[r0 + 7];
        FloatVector z0a = FloatVector.zero(SPECIES);
        FloatVector z0b = FloatVector.zero(SPECIES);
        FloatVector z1a = FloatVector.zero(SPECIES);
        FloatVector z1b = FloatVector.zero(SPECIES);
        FloatVector z2a = FloatVector.zero(SPECIES);
        FloatVector z2b = FloatVector.zero(SPECIES);
        FloatVector z3a = FloatVector.zero(SPECIES);
        FloatVector z3b = FloatVector.zero(SPECIES);
        FloatVector z4a = FloatVector.zero(SPECIES);
        FloatVector z4b = FloatVector.zero(SPECIES);
        FloatVector z5a = FloatVector.zero(SPECIES);
        FloatVector z5b = FloatVector.zero(SPECIES);
        FloatVector z6a = FloatVector.zero(SPECIES);
        FloatVector z6b = FloatVector.zero(SPECIES);
        FloatVector z7a = FloatVector.zero(SPECIES);
        FloatVector z7b = FloatVector.zero(SPECIES);
        for (int i = 0; i < d; i++)
        {
            final int wi = i * n + j;
            final FloatVector wa = FloatVector.fromArray(SPECIES, w, wi);
            final FloatVector wb = FloatVector.fromArray(SPECIES, w, wi + LANES);
            final FloatVector m0 = FloatVector.broadcast(SPECIES, mem[o0 + i]);
            z0a = z0a.add(wa.mul(m0));
            z0b = z0b.add(wb.mul(m0));
            final FloatVector m1 = FloatVector.broadcast(SPECIES, mem[o1 + i]);
            z1a = z1a.add(wa.mul(m1));
            z1b = z1b.add(wb.mul(m1));
            final FloatVector m2 = FloatVector.broadcast(SPECIES, mem[o2 + i]);
            z2a = z2a.add(wa.mul(m2));
            z2b = z2b.add(wb.mul(m2));
            final FloatVector m3 = FloatVector.broadcast(SPECIES, mem[o3 + i]);
            z3a = z3a.add(wa.mul(m3));
            z3b = z3b.add(wb.mul(m3));
            final FloatVector m4 = FloatVector.broadcast(SPECIES, mem[o4 + i]);
            z4a = z4a.add(wa.mul(m4));
            z4b = z4b.add(wb.mul(m4));
            final FloatVector m5 = FloatVector.broadcast(SPECIES, mem[o5 + i]);
            z5a = z5a.add(wa.mul(m5));
            z5b = z5b.add(wb.mul(m5));
            final FloatVector m6 = FloatVector.broadcast(SPECIES, mem[o6 + i]);
            z6a = z6a.add(wa.mul(m6));
            z6b = z6b.add(wb.mul(m6));
            final FloatVector m7 = FloatVector.broadcast(SPECIES, mem[o7 + i]);
            z7a = z7a.add(wa.mul(m7));
            z7b = z7b.add(wb.mul(m7));
        }
        z0a.intoArray(z[r0 + 0], j);
        z0b.intoArray(z[r0 + 0], j + LANES);
        z1a.intoArray(z[r0 + 1], j);
        z1b.intoArray(z[r0 + 1], j + LANES);
        z2a.intoArray(z[r0 + 2], j);
        z2b.intoArray(z[r0 + 2], j + LANES);
        z3a.intoArray(z[r0 + 3], j);
        z3b.intoArray(z[r0 + 3], j + LANES);
        z4a.intoArray(z[r0 + 4], j);
        z4b.intoArray(z[r0 + 4], j + LANES);
        z5a.intoArray(z[r0 + 5], j);
        z5b.intoArray(z[r0 + 5], j + LANES);
        z6a.intoArray(z[r0 + 6], j);
        z6b.intoArray(z[r0 + 6], j + LANES);
        z7a.intoArray(z[r0 + 7], j);
        z7b.intoArray(z[r0 + 7], j + LANES);
    }

    /** Memory dimensions i0..i0+3 (memT dimension-major), columns j..j+2·LANES: blocks of four rows, then the remainder rows. */
    private static void gradient4(final float[] memT, final int rows, final int i0, final float[][] dz, final int n,
        final float[] grad, final int j)
    {
        final int g0 = i0 * n + j;
        FloatVector g0a = FloatVector.fromArray(SPECIES, grad, g0 + 0 * n);
        FloatVector g0b = FloatVector.fromArray(SPECIES, grad, g0 + 0 * n + LANES);
        FloatVector g1a = FloatVector.fromArray(SPECIES, grad, g0 + 1 * n);
        FloatVector g1b = FloatVector.fromArray(SPECIES, grad, g0 + 1 * n + LANES);
        FloatVector g2a = FloatVector.fromArray(SPECIES, grad, g0 + 2 * n);
        FloatVector g2b = FloatVector.fromArray(SPECIES, grad, g0 + 2 * n + LANES);
        FloatVector g3a = FloatVector.fromArray(SPECIES, grad, g0 + 3 * n);
        FloatVector g3b = FloatVector.fromArray(SPECIES, grad, g0 + 3 * n + LANES);
        final int blocked = rows & ~3;
        for (int r = 0; r < blocked; r += 4)
        {
            final FloatVector d0a = FloatVector.fromArray(SPECIES, dz[r], j);
            final FloatVector d0b = FloatVector.fromArray(SPECIES, dz[r], j + LANES);
            final FloatVector d1a = FloatVector.fromArray(SPECIES, dz[r + 1], j);
            final FloatVector d1b = FloatVector.fromArray(SPECIES, dz[r + 1], j + LANES);
            final FloatVector d2a = FloatVector.fromArray(SPECIES, dz[r + 2], j);
            final FloatVector d2b = FloatVector.fromArray(SPECIES, dz[r + 2], j + LANES);
            final FloatVector d3a = FloatVector.fromArray(SPECIES, dz[r + 3], j);
            final FloatVector d3b = FloatVector.fromArray(SPECIES, dz[r + 3], j + LANES);
            final float m00 = memT[(i0 + 0) * rows + r + 0];
            final float m10 = memT[(i0 + 0) * rows + r + 1];
            final float m20 = memT[(i0 + 0) * rows + r + 2];
            final float m30 = memT[(i0 + 0) * rows + r + 3];
            g0a = g0a.add(d0a.mul(m00).add(d1a.mul(m10)).add(d2a.mul(m20)).add(d3a.mul(m30)));
            g0b = g0b.add(d0b.mul(m00).add(d1b.mul(m10)).add(d2b.mul(m20)).add(d3b.mul(m30)));
            final float m01 = memT[(i0 + 1) * rows + r + 0];
            final float m11 = memT[(i0 + 1) * rows + r + 1];
            final float m21 = memT[(i0 + 1) * rows + r + 2];
            final float m31 = memT[(i0 + 1) * rows + r + 3];
            g1a = g1a.add(d0a.mul(m01).add(d1a.mul(m11)).add(d2a.mul(m21)).add(d3a.mul(m31)));
            g1b = g1b.add(d0b.mul(m01).add(d1b.mul(m11)).add(d2b.mul(m21)).add(d3b.mul(m31)));
            final float m02 = memT[(i0 + 2) * rows + r + 0];
            final float m12 = memT[(i0 + 2) * rows + r + 1];
            final float m22 = memT[(i0 + 2) * rows + r + 2];
            final float m32 = memT[(i0 + 2) * rows + r + 3];
            g2a = g2a.add(d0a.mul(m02).add(d1a.mul(m12)).add(d2a.mul(m22)).add(d3a.mul(m32)));
            g2b = g2b.add(d0b.mul(m02).add(d1b.mul(m12)).add(d2b.mul(m22)).add(d3b.mul(m32)));
            final float m03 = memT[(i0 + 3) * rows + r + 0];
            final float m13 = memT[(i0 + 3) * rows + r + 1];
            final float m23 = memT[(i0 + 3) * rows + r + 2];
            final float m33 = memT[(i0 + 3) * rows + r + 3];
            g3a = g3a.add(d0a.mul(m03).add(d1a.mul(m13)).add(d2a.mul(m23)).add(d3a.mul(m33)));
            g3b = g3b.add(d0b.mul(m03).add(d1b.mul(m13)).add(d2b.mul(m23)).add(d3b.mul(m33)));
        }
        for (int r = blocked; r < rows; r++)
        {
            final FloatVector da = FloatVector.fromArray(SPECIES, dz[r], j);
            final FloatVector db = FloatVector.fromArray(SPECIES, dz[r], j + LANES);
            final float m0 = memT[(i0 + 0) * rows + r];
            g0a = g0a.add(da.mul(m0));
            g0b = g0b.add(db.mul(m0));
            final float m1 = memT[(i0 + 1) * rows + r];
            g1a = g1a.add(da.mul(m1));
            g1b = g1b.add(db.mul(m1));
            final float m2 = memT[(i0 + 2) * rows + r];
            g2a = g2a.add(da.mul(m2));
            g2b = g2b.add(db.mul(m2));
            final float m3 = memT[(i0 + 3) * rows + r];
            g3a = g3a.add(da.mul(m3));
            g3b = g3b.add(db.mul(m3));
        }
        g0a.intoArray(grad, g0 + 0 * n);
        g0b.intoArray(grad, g0 + 0 * n + LANES);
        g1a.intoArray(grad, g0 + 1 * n);
        g1b.intoArray(grad, g0 + 1 * n + LANES);
        g2a.intoArray(grad, g0 + 2 * n);
        g2b.intoArray(grad, g0 + 2 * n + LANES);
        g3a.intoArray(grad, g0 + 3 * n);
        g3b.intoArray(grad, g0 + 3 * n + LANES);
    }
}
