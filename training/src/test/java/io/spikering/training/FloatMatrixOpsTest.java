package io.spikering.training;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Vector API tiles give the plain loops' bits, for every tile remainder, stride and offset the kernel uses. */
class FloatMatrixOpsTest
{
    private final FloatMatrixOps scalar = new ScalarMatrixOps();
    private final FloatMatrixOps vector = new VectorMatrixOps();

    @Test
    void theTestJvmHasTheVectorModule()
    {
        // surefire passes --add-modules=jdk.incubator.vector (pom.xml jvm.vector.args), as the launcher does for train
        assertTrue(FloatMatrixOps.best() instanceof VectorMatrixOps);
        assertEquals(224, FloatMatrixOps.paddedWidth(212));
        assertEquals(32, FloatMatrixOps.paddedWidth(1));
    }

    @Test
    void withoutTheModuleTrainingFallsBackToThePlainLoops() throws Exception
    {
        // a JVM without --add-modules=jdk.incubator.vector must never load VectorMatrixOps
        final Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
            System.getProperty("java.class.path"), FallbackProbe.class.getName()).redirectErrorStream(true).start();
        final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("products: plain loops"), output);
        assertTrue(output.contains("window products: plain loops"), output);
        assertTrue(output.contains("window tanh: StrictMath.tanh's bits"), output);
    }

    @Test
    void productsAgreeBitForBit()
    {
        final Random random = new Random(7);
        for (int trial = 0; trial < 60; trial++)
        {
            final int n = 1 + random.nextInt(80);
            final int w = FloatMatrixOps.paddedWidth(n);
            final int rows = 1 + random.nextInt(33);
            final int k = 1 + random.nextInt(trial % 3 == 0 ? 700 : 60);
            final boolean transposed = random.nextBoolean();
            final int lead = random.nextInt(5);
            // A as rows × k (aRow = k, aCol = 1) or as k × rows read transposed (aRow = 1, aCol = rows)
            final float[] a = filled(random, lead + rows * k);
            final int aRow = transposed ? 1 : k;
            final int aCol = transposed ? rows : 1;
            final float[] wm = padded(random, k, n, w);
            final int cStride = w * (1 + random.nextInt(2));
            final float[] c = filled(random, rows * cStride);
            final float[] expected = c.clone();
            scalar.multiplyAdd(a, lead, aRow, aCol, rows, k, wm, 0, w, expected, 0, cStride, w);
            vector.multiplyAdd(a, lead, aRow, aCol, rows, k, wm, 0, w, c, 0, cStride, w);
            assertArrayEquals(expected, c, "rows " + rows + ", k " + k + ", n " + n + (transposed ? ", transposed" : ""));
        }
    }

    @Test
    void gathersAgreeBitForBit()
    {
        final Random random = new Random(11);
        for (int trial = 0; trial < 60; trial++)
        {
            final int n = 1 + random.nextInt(80);
            final int w = FloatMatrixOps.paddedWidth(n);
            final int tableRows = 64;
            final float[] table = padded(random, tableRows, n, w);
            final int rows = 1 + random.nextInt(20);
            // PANEL: the fast path's panel-major tables (a tile with constant offsets)
            final int bStride = trial % 3 == 0 ? FloatMatrixOps.PANEL : w * (1 + random.nextInt(2));
            final int count = random.nextInt(12);
            final float[] val = filled(random, count + 2);
            final int[] off = new int[count + 2];
            final int reach = tableRows - 1 - (rows - 1) * bStride / w;
            for (int q = 0; q < off.length; q++)
            {
                off[q] = random.nextInt(reach + 1) * w;
            }
            final int from = random.nextInt(2);
            final float[] c = filled(random, rows * w + 3);
            final float[] expected = c.clone();
            scalar.gather(val, off, from, count + 2, table, 0, bStride, expected, 3, w, rows, w);
            vector.gather(val, off, from, count + 2, table, 0, bStride, c, 3, w, rows, w);
            assertArrayEquals(expected, c, "rows " + rows + ", count " + count + ", n " + n);
        }
    }

    @Test
    void gatherTilesAgreeBitForBit()
    {
        // the fast path's causal tiles: inputs at sorted indices, the full ones and those reaching a suffix (convolution) or
        // a prefix (correlation) of the 8 rows; against the scalar loops and against gather called as the reference loops do
        final Random random = new Random(17);
        final int p = FloatMatrixOps.PANEL;
        for (int trial = 0; trial < 3000; trial++)
        {
            final int count = 1 + random.nextInt(30);
            final int[] index = new int[count];
            int at = random.nextInt(4);
            for (int q = 0; q < count; q++)
            {
                index[q] = at;
                at += 1 + random.nextInt(3);
            }
            final float[] val = filled(random, count);
            final boolean suffix = trial % 2 == 0;
            final int base = index[random.nextInt(count)] - random.nextInt(9) + (suffix ? 0 : 7);
            int full = 0;
            int to = 0;
            for (int q = 0; q < count; q++)
            {
                // suffix: full when index <= base, partial when index <= base + 6; prefix: full when index <= base - 8, partial when index <= base - 1
                if (index[q] <= (suffix ? base : base - 8))
                {
                    full = q + 1;
                }
                if (index[q] <= (suffix ? base + 6 : base - 1))
                {
                    to = q + 1;
                }
            }
            final int[] off = new int[count];
            final int rowsOfB = at + 80;
            final int shift = 40 * p;
            for (int q = 0; q < count; q++)
            {
                off[q] = (suffix ? -index[q] : index[q]) * p;
            }
            final float[] b = filled(random, rowsOfB * p + shift + 16 * p);
            final int cStride = trial % 3 == 0 ? p : 3 * p;
            final float[] c = filled(random, 8 * cStride + 5);
            final float[] expected = c.clone();
            final float[] viaGather = c.clone();
            scalar.gatherTile(val, off, index, 0, full, to, base, suffix, b, shift + (suffix ? at * p : 0), expected, 5, cStride);
            vector.gatherTile(val, off, index, 0, full, to, base, suffix, b, shift + (suffix ? at * p : 0), c, 5, cStride);
            assertArrayEquals(expected, c, "trial " + trial);
            final int b0 = shift + (suffix ? at * p : 0);
            vector.gather(val, off, 0, full, b, b0, p, viaGather, 5, cStride, 8, p);
            for (int q = full; q < to; q++)
            {
                final int first = suffix ? Math.max(0, index[q] - base) : 0;
                final int end = suffix ? 8 : Math.min(8, base - index[q]);
                if (end > first)
                {
                    vector.gather(val, off, q, q + 1, b, b0 + first * p, p, viaGather, 5 + first * cStride, cStride, end - first, p);
                }
            }
            assertArrayEquals(viaGather, c, "trial " + trial + " against gather");
        }
    }

    @Test
    void tanhAgreesBitForBit()
    {
        // every 997th float bit pattern (all exponents, both signs, NaNs, infinities) and the edges, at an offset and with a
        // length that leaves a scalar tail; also in place. Every bit equal, a NaN's payload aside (see below)
        final int n = 4099;
        final float[] x = new float[n + 5];
        final float[] expected = new float[n + 7];
        final float[] actual = new float[n + 7];
        final float[] edges = {0.0f, -0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, FloatTanh.CLAMP, -FloatTanh.CLAMP, Math.nextUp(FloatTanh.CLAMP),
            Math.nextDown(-FloatTanh.CLAMP), 1.0f, -1.0f, 1e-20f, 20.0f};
        long bits = 0;
        int rounds = 0;
        while (bits <= 0xFFFFFFFFL)
        {
            for (int k = 0; k < n; k++)
            {
                x[5 + k] = rounds == 0 && k < edges.length ? edges[k] : Float.intBitsToFloat((int)bits);
                bits += 997;
            }
            scalar.tanh(x, 5, expected, 7, n);
            vector.tanh(x, 5, actual, 7, n);
            for (int k = 0; k < n; k++)
            {
                assertEquals(Float.floatToIntBits(expected[7 + k]), Float.floatToIntBits(actual[7 + k]), "tanh(" + x[5 + k] + ")");
            }
            vector.tanh(x, 5, x, 5, n);
            for (int k = 0; k < n; k++)
            {
                assertEquals(Float.floatToIntBits(expected[7 + k]), Float.floatToIntBits(x[5 + k]), "in place");
            }
            rounds++;
        }
    }

    @Test
    void elementWiseOperationsAgreeBitForBit()
    {
        // enough calls for C2 to compile the Vector API loops (interpreted, they run the scalar fallback); every bit equal
        // except a NaN's sign and payload (x86 returns either operand's NaN when both are NaN, and C2 may swap the operands
        // of an add: Java leaves that open, and a NaN anywhere in training stops it)
        final Random random = new Random(13);
        final float[] special = {0.0f, -0.0f, Float.MIN_VALUE, -Float.MIN_NORMAL, 1e30f, -1e-30f, Float.POSITIVE_INFINITY, Float.NaN, 1.0f, -1.0f};
        for (int trial = 0; trial < 30000; trial++)
        {
            final int n = 1 + random.nextInt(90);
            final float[] a = filled(random, n + 9);
            final float[] b = filled(random, n + 9);
            final float[] d = filled(random, n + 9);
            if (trial % 4 == 0)
            {
                for (int k = 0; k < 5; k++)
                {
                    a[random.nextInt(a.length)] = special[random.nextInt(special.length)];
                    b[random.nextInt(b.length)] = special[random.nextInt(special.length)];
                    d[random.nextInt(d.length)] = special[random.nextInt(special.length)];
                }
            }
            final float scale = trial % 5 == 0 ? special[trial % special.length] : (float)random.nextGaussian();
            final int ao = random.nextInt(5);
            final int bo = random.nextInt(5);
            final int dOff = random.nextInt(5);
            final float[][] expected = {d.clone(), d.clone(), d.clone(), d.clone()};
            final float[][] actual = {d.clone(), d.clone(), d.clone(), d.clone()};
            scalar.tanhGradient(a, ao, expected[0], dOff, n);
            vector.tanhGradient(a, ao, actual[0], dOff, n);
            scalar.add(a, ao, expected[1], dOff, n);
            vector.add(a, ao, actual[1], dOff, n);
            scalar.addScaled(scale, a, ao, expected[2], dOff, n);
            vector.addScaled(scale, a, ao, actual[2], dOff, n);
            scalar.sumScaled(a, ao, scale, b, bo, expected[3], dOff, n);
            vector.sumScaled(a, ao, scale, b, bo, actual[3], dOff, n);
            for (int op = 0; op < 4; op++)
            {
                for (int k = 0; k < d.length; k++)
                {
                    if (Float.floatToIntBits(expected[op][k]) != Float.floatToIntBits(actual[op][k]))
                    {
                        assertEquals(Float.floatToIntBits(expected[op][k]), Float.floatToIntBits(actual[op][k]), "operation " + op + ", trial " + trial + ", n " + n + ", index " + k);
                    }
                }
            }
        }
    }

    @Test
    void productsAreTheExactSumsOnSmallIntegers()
    {
        // integers below 2^24 add exactly, so the result must be the true product whatever the order
        final int rows = 13;
        final int k = 300;
        final int w = FloatMatrixOps.paddedWidth(40);
        final float[] a = new float[rows * k];
        final float[] wm = new float[k * w];
        for (int i = 0; i < a.length; i++)
        {
            a[i] = i % 5 - 2;
        }
        for (int q = 0; q < k; q++)
        {
            for (int j = 0; j < 40; j++)
            {
                wm[q * w + j] = (q + j) % 7 - 3;
            }
        }
        final float[] c = new float[rows * w];
        vector.multiplyAdd(a, 0, k, 1, rows, k, wm, 0, w, c, 0, w, w);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < w; j++)
            {
                long sum = 0;
                for (int q = 0; q < k; q++)
                {
                    sum += (long)a[i * k + q] * (long)wm[q * w + j];
                }
                assertEquals(sum, c[i * w + j], 0.0, "row " + i + ", column " + j);
            }
        }
    }

    static float[] filled(final Random random, final int length)
    {
        final float[] v = new float[length];
        for (int i = 0; i < length; i++)
        {
            v[i] = (float)random.nextGaussian();
        }
        return v;
    }

    private static float[] padded(final Random random, final int rows, final int n, final int w)
    {
        final float[] v = new float[rows * w];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < n; j++)
            {
                v[r * w + j] = (float)random.nextGaussian();
            }
        }
        return v;
    }
}
