package io.spikering.bench;

import io.spikering.core.engine.ConvKernel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's two variants compute the same convolution: the engine step and the direct dense loop agree. */
final class ConvEventVsDenseBenchmarkTest
{
    @Test
    void eventDrivenStepAndDenseConvolutionAgreeOnEveryLayerAndDensity()
    {
        for (final String layer : new String[] {"conv1", "conv2", "conv3"})
        {
            for (final String density : new String[] {"0.5", "5", "100"})
            {
                final ConvEventVsDenseBenchmark b = new ConvEventVsDenseBenchmark();
                b.layer = layer;
                b.densityPercent = density;
                b.setUp();
                try
                {
                    for (int f = 0; f < 3; f++)
                    {
                        b.eventDriven();
                        b.dense();
                        final double[] engine = b.engineOutput();
                        final double[] dense = b.denseOutput();
                        double norm = 0;
                        for (int j = 0; j < dense.length; j++)
                        {
                            // the same products in the same order: equal (== also equates the engine's +0.0 and a -0.0)
                            assertTrue(dense[j] == engine[j], layer + " " + density + " " + j + ": " + dense[j] + " vs " + engine[j]);
                            norm += Math.abs(dense[j]);
                        }
                        assertTrue(norm > 0, "the frames must drive the layer");
                    }
                }
                finally
                {
                    b.tearDown();
                }
            }
        }
        final ConvKernel k = ConvEventVsDenseBenchmark.layer("conv1", 1);
        assertEquals(16 * 16 * 16, k.outputSize(), "cnn_sinabs.nir's first layer: 2x34x34 -> 16x16x16");
        assertEquals(16L * 256 * 2 * 25, k.denseMacsPerStep());
    }
}
