package io.spikering.core.engine;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeliveryTest
{
    /** The widened-row kernel adds exactly s * (double) w[j] in event order, as the float rows would, slice by slice. */
    @Test
    void denseKernelOnWidenedRowsEqualsFloatRowsBitForBit()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final int sources = 40;
        final int width = 333;
        final float[][] rows = new float[sources][width];
        for (final float[] row : rows)
        {
            for (int j = 0; j < width; j++)
            {
                row[j] = (float)(random.nextGaussian() * 0.3);
            }
        }
        final Projection p = new Projection(0, "p", 0, 1, Port.EXCITATORY, 0, rows, null, null, width, null, null, (long)rows.length * width);
        final int[] neurons = {0, 3, 4, 17, 18, 39};
        final double[] values = {1.0, -3.0, 0.125, 7.5, -1.0 / 3.0, 2.0};
        final double[] expected = new double[width];
        for (int j = 0; j < width; j++)
        {
            expected[j] = random.nextDouble();
        }
        final double[] actual = expected.clone();
        for (int e = 0; e < neurons.length; e++)
        {
            for (int j = 0; j < width; j++)
            {
                expected[j] += values[e] * rows[neurons[e]][j];
            }
        }
        Delivery.dense(p.denseRowsWide, actual, neurons, values, neurons.length, 0, 100);
        Delivery.dense(p.denseRowsWide, actual, neurons, values, neurons.length, 100, width);
        for (int j = 0; j < width; j++)
        {
            assertEquals(Double.doubleToRawLongBits(expected[j]), Double.doubleToRawLongBits(actual[j]), "column " + j);
        }
    }
}
