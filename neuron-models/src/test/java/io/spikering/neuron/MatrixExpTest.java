package io.spikering.neuron;

import static io.spikering.neuron.SigmaDeltaQuantizerTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MatrixExpTest
{
    static void assertMatrix(final double[][] expected, final double[][] actual, final double tolerance)
    {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++)
        {
            for (int j = 0; j < expected[i].length; j++)
            {
                final double scale = Math.max(1.0, Math.abs(expected[i][j]));
                assertEquals(expected[i][j], actual[i][j], tolerance * scale, "[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void scalarMatchesExpAcrossAllPadeDegreesAndScalings()
    {
        for (final double x : new double[] {0, 1e-3, -0.01, 0.2, -0.9, 2.0, -5.0, 10.0, -30.0, 40.0})
        {
            final double e = MatrixExp.expm(new double[][] {{x}})[0][0];
            assertEquals(Math.exp(x), e, 2e-15 * Math.exp(x) * Math.max(1, Math.abs(x)), "x=" + x);
        }
    }

    @Test
    void diagonalIsElementwiseExp()
    {
        final double[] d = {-3.0, 0.5, 7.0, -0.01};
        final double[][] a = new double[4][4];
        for (int i = 0; i < 4; i++)
        {
            a[i][i] = d[i];
        }
        final double[][] expected = new double[4][4];
        for (int i = 0; i < 4; i++)
        {
            expected[i][i] = Math.exp(d[i]);
        }
        assertMatrix(expected, MatrixExp.expm(a), 1e-14);
    }

    /** Strictly upper-triangular N (N^4 = 0): e^(cN) = I + cN + c²N²/2 + c³N³/6 exactly. */
    @Test
    void nilpotentIsFiniteTaylorSeries()
    {
        for (final double c : new double[] {0.01, 1.0, 25.0})
        {
            final double[][] n = {{0, 1, 2, 3}, {0, 0, 4, 5}, {0, 0, 0, 6}, {0, 0, 0, 0}};
            final double[][] cn = new double[4][4];
            for (int i = 0; i < 4; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    cn[i][j] = c * n[i][j];
                }
            }
            final double[][] n2 = MatrixExp.multiply(cn, cn);
            final double[][] n3 = MatrixExp.multiply(n2, cn);
            final double[][] expected = MatrixExp.identity(4);
            for (int i = 0; i < 4; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    expected[i][j] += cn[i][j] + n2[i][j] / 2 + n3[i][j] / 6;
                }
            }
            assertMatrix(expected, MatrixExp.expm(cn), 1e-12);
        }
    }

    /** A rotation generator [[0, −w], [w, 0]] gives [[cos w, −sin w], [sin w, cos w]]. */
    @Test
    void rotationGenerator()
    {
        for (final double w : new double[] {0.1, 1.0, 3.0, 20.0})
        {
            final double[][] e = MatrixExp.expm(new double[][] {{0, -w}, {w, 0}});
            assertMatrix(new double[][] {{Math.cos(w), -Math.sin(w)}, {Math.sin(w), Math.cos(w)}}, e, 1e-13 * w);
        }
    }

    @Test
    void expOfMinusAIsTheInverse()
    {
        final SplittableRandom random = new SplittableRandom(1L);
        for (final double scale : new double[] {0.005, 0.1, 0.5, 1.5, 4.0, 12.0})
        {
            final int n = 7;
            final double[][] a = new double[n][n];
            final double[][] minus = new double[n][n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    a[i][j] = scale * random.nextGaussian() / Math.sqrt(n);
                    minus[i][j] = -a[i][j];
                }
            }
            final double[][] product = MatrixExp.multiply(MatrixExp.expm(a), MatrixExp.expm(minus));
            assertMatrix(MatrixExp.identity(n), product, 1e-12 * Math.exp(2 * MatrixExp.norm1(a)) / 1e3 + 1e-13);
        }
    }

    @Test
    void badInputIsRejected()
    {
        assertMessage(() -> MatrixExp.expm(new double[0][]), "non-empty square");
        assertMessage(() -> MatrixExp.expm(new double[][] {{1, 2}, {3}}), "row 1 has 1 entries, expected 2");
        assertMessage(() -> MatrixExp.expm(new double[][] {{1, Double.NaN}, {0, 1}}), "a[0][1] must be finite");
    }
}
