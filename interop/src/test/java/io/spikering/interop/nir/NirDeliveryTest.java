package io.spikering.interop.nir;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NirDeliveryTest
{
    @Test
    void sinabsCnnRunsEventDrivenAfterItsFirstConvolution() throws Exception
    {
        final Map<String, NirDelivery> d = NirDelivery.of(NirReader.read(Fixtures.nir("cnn_sinabs.nir")));
        assertEquals(NirDelivery.BOUNDARY, d.get("input"));
        assertEquals(NirDelivery.PER_STEP, d.get("0"));        // Conv2d on the dense input
        for (final String spiking : new String[] {"1", "3", "6", "10", "12"})
        {
            assertEquals(NirDelivery.EMITS_EVENTS, d.get(spiking), spiking);
        }
        // Conv, SumPool, Flatten, Affine after IF nodes, also chained (pool -> conv, pool -> flatten -> affine)
        for (final String linear : new String[] {"2", "4", "5", "7", "8", "9", "11"})
        {
            assertEquals(NirDelivery.PER_EVENT, d.get(linear), linear);
        }
    }

    @Test
    void brailleRecurrenceIsDeliveredPerEventAndItsInputLayerPerStep() throws Exception
    {
        final Map<String, NirDelivery> d = NirDelivery.of(NirReader.read(Fixtures.nir("braille_noDelay_bias_zero.nir")));
        assertEquals(NirDelivery.PER_STEP, d.get("fc1"));
        assertEquals(NirDelivery.EMITS_EVENTS, d.get("lif1.lif"));
        assertEquals(NirDelivery.PER_EVENT, d.get("lif1.w_rec"));
        assertEquals(NirDelivery.PER_EVENT, d.get("fc2"));
    }

    @Test
    void flattenAndConvOutputFollowNirsFormulas()
    {
        assertArrayEquals(new int[] {128}, Shapes.flatten(new int[] {8, 4, 4}, 0, -1));
        assertArrayEquals(new int[] {8, 16}, Shapes.flatten(new int[] {8, 4, 4}, 1, -1));
        assertArrayEquals(new int[] {32, 4}, Shapes.flatten(new int[] {8, 4, 4}, 0, -2));
        assertEquals(16, Shapes.convOutput(34, 5, 2, 1, 1));   // cnn_sinabs node 0
        assertEquals(6, Shapes.convOutput(5, 2, 1, 1, 1));
        assertEquals(2, Shapes.convOutput(8, 3, 2, 0, 2));     // dilation 2: span 5, floor((8 - 5) / 2) + 1
        assertArrayEquals(new int[] {5}, Shapes.squeeze(new int[] {1, 5, 1}));
    }
}
