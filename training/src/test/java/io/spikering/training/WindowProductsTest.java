package io.spikering.training;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parallel LMU's Vector API tiles give the plain loops' bits, for every remainder of rows, dimensions and columns. */
class WindowProductsTest
{
    private final WindowProducts scalar = new ScalarWindowProducts();
    private final WindowProducts vector = new VectorWindowProducts();

    @Test
    void theTestJvmUsesTheTiles()
    {
        assertTrue(WindowProducts.best() instanceof VectorWindowProducts);
    }

    @Test
    void preactivationsAndGradientsAgreeBitForBit()
    {
        final Random random = new Random(3);
        for (int trial = 0; trial < 80; trial++)
        {
            // trial 0: the shipped model's shape (order 256, 512 units, a shard of 10 samples × K = 16)
            final int d = trial == 0 ? 256 : 1 + random.nextInt(trial % 4 == 0 ? 300 : 30);
            final int n = trial == 0 ? 512 : 1 + random.nextInt(trial % 3 == 0 ? 600 : 80);
            final int rows = trial == 0 ? 160 : 1 + random.nextInt(40);
            final int memRows = rows + random.nextInt(10);
            final float[] mem = FloatMatrixOpsTest.filled(random, memRows * d);
            final int[] memOffset = new int[rows];
            for (int r = 0; r < rows; r++)
            {
                memOffset[r] = random.nextInt(memRows) * d;
            }
            final float[] w = FloatMatrixOpsTest.filled(random, d * n + random.nextInt(3));
            final float[][] expectedZ = new float[rows][];
            final float[][] z = new float[rows][];
            for (int r = 0; r < rows; r++)
            {
                expectedZ[r] = FloatMatrixOpsTest.filled(random, n);
                z[r] = FloatMatrixOpsTest.filled(random, n);
            }
            scalar.preactivation(mem, memOffset, rows, d, w, n, expectedZ);
            vector.preactivation(mem, memOffset, rows, d, w, n, z);
            final String shape = "rows " + rows + ", d " + d + ", n " + n;
            for (int r = 0; r < rows; r++)
            {
                assertArrayEquals(expectedZ[r], z[r], "z row " + r + ", " + shape);
            }
            final float[] expectedGrad = FloatMatrixOpsTest.filled(random, d * n);
            final float[] grad = expectedGrad.clone();
            scalar.gradient(mem, memOffset, rows, d, z, n, expectedGrad);
            vector.gradient(mem, memOffset, rows, d, z, n, grad);
            assertArrayEquals(expectedGrad, grad, "gradient, " + shape);
        }
    }

    @Test
    void preactivationsAreTheExactSumsOnSmallIntegers()
    {
        // integers below 2^24 add exactly: the tiles must compute the true product whatever the order
        final int d = 37;
        final int n = 70;
        final int rows = 19;
        final float[] mem = new float[rows * d];
        final float[] w = new float[d * n];
        for (int i = 0; i < mem.length; i++)
        {
            mem[i] = i % 5 - 2;
        }
        for (int i = 0; i < w.length; i++)
        {
            w[i] = i % 7 - 3;
        }
        final int[] memOffset = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            memOffset[r] = (rows - 1 - r) * d;
        }
        final float[][] z = new float[rows][n];
        vector.preactivation(mem, memOffset, rows, d, w, n, z);
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < n; j++)
            {
                long sum = 0;
                for (int i = 0; i < d; i++)
                {
                    sum += (long)mem[memOffset[r] + i] * (long)w[i * n + j];
                }
                assertEquals(sum, z[r][j], 0.0, "row " + r + ", column " + j);
            }
        }
    }
}
