package io.spikering.training;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FloatTanhTest
{
    @Test
    void withinFiveTenMillionthsOfMathTanhUpToTwenty()
    {
        // every 997th float in [0, 20] (≈ 1.1 M values, all exponents; beyond 20 tanh is 1 in float and so is the clamped
        // rational), alternately negated for the odd symmetry
        final int n = 4096;
        final float[] x = new float[n];
        final float[] y = new float[n];
        float v = 0.0f;
        double worst = 0.0;
        while (v <= 20.0f)
        {
            int k = 0;
            for (; k < n && v <= 20.0f; k++)
            {
                x[k] = (k & 1) == 0 ? v : -v;
                v = Float.intBitsToFloat(Float.floatToRawIntBits(v) + 997);
            }
            FloatTanh.apply(x, 0, y, 0, k);
            for (int i = 0; i < k; i++)
            {
                worst = Math.max(worst, Math.abs(y[i] - Math.tanh(x[i])));
            }
        }
        assertTrue(worst <= 5e-7, "max |error| " + worst);
    }

    @Test
    void saturatesAndKeepsNaN()
    {
        final float[] x = {1e30f, -1e30f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0.0f};
        final float[] y = new float[x.length];
        FloatTanh.apply(x, 0, y, 0, x.length);
        assertEquals(1.0f, y[0], 1e-7f);
        assertEquals(-1.0f, y[1], 1e-7f);
        assertEquals(1.0f, y[2], 1e-7f);
        assertEquals(-1.0f, y[3], 1e-7f);
        assertTrue(Float.isNaN(y[4]));
        assertEquals(0.0f, y[5]);
    }
}
