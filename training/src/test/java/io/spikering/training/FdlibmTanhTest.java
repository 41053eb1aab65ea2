package io.spikering.training;

import io.spikering.neuron.FdlibmTanh;

import io.spikering.neuron.Activation;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link FdlibmTanh} and {@link VectorFdlibmTanh} give {@link StrictMath#tanh}'s bits (which {@link Math#tanh} and so
 * {@link Activation#TANH} return on JDK 17): every 61st float of [2^-60, 30] of both signs (where tanh is neither x nor ±1,
 * with every branch of fdlibm's expm1), the thresholds and special values, random doubles, and rows of every remainder.
 * (All floats of that range agreed for the scalar port when it was written: 1,088,421,890 values.)
 */
class FdlibmTanhTest
{
    private static final double[] SPECIAL = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
        -Double.MIN_VALUE, 22.0, Math.nextDown(22.0), -22.0, 1.0, Math.nextDown(1.0), -1.0, 0x1.0p-55, Math.nextDown(0x1.0p-55), 0x1.0p-54,
        0.5 * Math.log(2.0) / 2.0, 0.75 * Math.log(2.0), 19.5, 19.6, 28.0, 400.0, Double.MAX_VALUE, -Double.MAX_VALUE, Float.MAX_VALUE};

    private static void assertSame(final double x, final double actual, final String what)
    {
        final double expected = StrictMath.tanh(x);
        if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(actual))
        {
            fail(what + ": tanh(" + x + ") = " + expected + " (" + Long.toHexString(Double.doubleToRawLongBits(expected)) + "), got "
                + actual + " (" + Long.toHexString(Double.doubleToRawLongBits(actual)) + ")");
        }
    }

    @Test
    void theScalarPortHasStrictMathsBits()
    {
        final int lo = Float.floatToRawIntBits(0x1.0p-60f);
        final int hi = Float.floatToRawIntBits(30.0f);
        for (int b = lo; b <= hi; b += 61)
        {
            final double x = Float.intBitsToFloat(b);
            assertSame(x, FdlibmTanh.tanh(x), "scalar");
            assertSame(-x, FdlibmTanh.tanh(-x), "scalar");
        }
        for (final double x : SPECIAL)
        {
            assertSame(x, FdlibmTanh.tanh(x), "scalar");
        }
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 1_000_000; i++)
        {
            final double any = Double.longBitsToDouble(random.nextLong());
            assertSame(any, FdlibmTanh.tanh(any), "scalar");
            final double moderate = random.nextDouble(-30.0, 30.0);
            assertSame(moderate, FdlibmTanh.tanh(moderate), "scalar");
        }
    }

    @Test
    void theVectorRowsHaveStrictMathsBits()
    {
        final int lo = Float.floatToRawIntBits(0x1.0p-60f);
        final int hi = Float.floatToRawIntBits(30.0f);
        final int n = 4099;
        final float[] z = new float[n];
        final double[] out = new double[n];
        int filled = 0;
        for (long b = lo; b <= hi; b += 61)
        {
            z[filled++] = Float.intBitsToFloat((int)b);
            z[filled++] = -Float.intBitsToFloat((int)b);
            if (filled == n - 1 || b + 61 > hi)
            {
                check(z, out, filled);
                filled = 0;
            }
        }
    }

    @Test
    void specialValuesInAnyLaneAndEveryRemainder()
    {
        final SplittableRandom random = new SplittableRandom(12);
        for (int trial = 0; trial < 400; trial++)
        {
            final int n = 1 + random.nextInt(70);
            final float[] z = new float[n];
            for (int j = 0; j < n; j++)
            {
                z[j] = random.nextInt(4) == 0 ? (float)SPECIAL[random.nextInt(SPECIAL.length)] : (float)random.nextDouble(-25.0, 25.0);
            }
            check(z, new double[n], n);
        }
    }

    @Test
    void theShardKernelsTanhIsTheActivationsTanh()
    {
        final float[] z = {-3.5f, -0.7f, -0.2f, 0.0f, 1e-20f, 0.3f, 0.9f, 1.0f, 2.5f, 17.0f, 23.0f};
        final double[] out = new double[z.length];
        ShardKernel.activate(Activation.TANH, z, out, z.length);
        for (int j = 0; j < z.length; j++)
        {
            assertEquals(Double.doubleToRawLongBits(Activation.TANH.apply(z[j])), Double.doubleToRawLongBits(out[j]), "tanh(" + z[j] + ")");
        }
    }

    @Test
    void theFastBackwardRowsHaveTheLoopsBits()
    {
        final SplittableRandom random = new SplittableRandom(13);
        final float[] special = {0.0f, -0.0f, Float.NaN, 1.0f, -1.0f, Float.MIN_VALUE, -Float.MIN_VALUE};
        for (int trial = 0; trial < 300; trial++)
        {
            final int n = trial == 0 ? 512 : 1 + random.nextInt(100);
            final float[] a = new float[n];
            final float[] h = new float[n];
            final float[] f = new float[n];
            final float[] expected = new float[n];
            final float[] actual = new float[n];
            for (int j = 0; j < n; j++)
            {
                a[j] = random.nextInt(5) == 0 ? special[random.nextInt(special.length)] : (float)random.nextDouble(-1e-3, 1e-3);
                // h finite or NaN (f(z) or count/dt)
                h[j] = random.nextInt(5) == 0 ? special[random.nextInt(special.length)] : (float)random.nextDouble(-2.0, 2.0);
                f[j] = random.nextInt(9) == 0 ? special[random.nextInt(special.length)] : (float)random.nextDouble(-1.0, 1.0);
            }
            // no penalty (p = 0: the zero signs and NaNs of p·signum(h) still reach the sum) and a penalty (the exact loop)
            final float p = trial % 2 == 0 ? 0.0f : (float)random.nextDouble(1e-6, 1e-3);
            ShardKernel.tanhBackwardRow(a, p, h, f, expected, n);
            ShardKernel.tanhBackward(a, p, h, f, actual, n);
            for (int j = 0; j < n; j++)
            {
                assertEquals(Float.floatToRawIntBits(expected[j]), Float.floatToRawIntBits(actual[j]),
                    "dz[" + j + "] of " + n + ": a " + a[j] + ", p " + p + ", h " + h[j] + ", f " + f[j]);
            }
        }
    }

    private static void check(final float[] z, final double[] out, final int n)
    {
        VectorFdlibmTanh.apply(z, out, n);
        for (int j = 0; j < n; j++)
        {
            assertSame(z[j], out[j], "vector, lane " + j + " of " + n);
        }
    }
}
