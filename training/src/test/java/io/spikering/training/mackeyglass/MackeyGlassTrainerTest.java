package io.spikering.training.mackeyglass;

import io.spikering.core.data.MackeyGlass;
import io.spikering.core.lmu.NeuroBenchMetrics;
import io.spikering.core.stream.LmuPredictor;
import io.spikering.core.stream.StreamModel;
import io.spikering.neuron.LegendreMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MackeyGlassTrainerTest
{
    private static final double[] SERIES = MackeyGlass.neuroBench().neuroBenchSeries(0);
    /** The series as the stream carries it (float32). */
    private static final double[] SERIES32 = float32(SERIES);

    private static MackeyGlassTrainer.Config small(final boolean quantized, final int spikingEpochs)
    {
        return new MackeyGlassTrainer.Config(8, 8, 64, quantized, 64, 1.0, 3L, 1e-8, 0, spikingEpochs, 1e-4, 1.0, 0.001, 2, 0, 3.5, 8);
    }

    @Test
    void ridgeRecoversAnExactLinearRelation()
    {
        final double[][] x = new double[50][3];
        final double[] y = new double[50];
        for (int i = 0; i < 50; i++)
        {
            x[i][0] = Math.sin(i);
            x[i][1] = Math.cos(0.3 * i) * 4;
            x[i][2] = 7; // constant: weight 0, absorbed by the intercept
            y[i] = 2 * x[i][0] - 0.5 * x[i][1] + 3;
        }
        final double[] w = Ridge.fit(x, y, 0);
        assertEquals(2, w[0], 1e-9);
        assertEquals(-0.5, w[1], 1e-9);
        assertEquals(0, w[2], 0);
        assertEquals(3, w[3], 1e-9);
    }

    @Test
    void plainForwardEqualsTheEventEngineBitForBitIncludingAutonomousFeedback()
    {
        final LmuPredictor model = new MackeyGlassTrainer(small(true, 0)).train(SERIES, 750, Map.of());
        final MackeyGlassEvaluation.Score engine = engineEqualsPlainForward(model);
        assertTrue(engine.macsPerStep() > 8 * 64 && engine.rowAddsPerStep() > 0 && engine.synopsPerStep() >= engine.rowAddsPerStep());
        // NeuroBench's metrics per test step: every connection layer every step (input->memory 1, W_m 8x64, W_x 64,
        // W_o 64, V_m 8, v_x 1), 64 sigma-delta units updated every step, the file's float32 tensors
        final NeuroBenchMetrics nb = engine.neuroBench();
        assertEquals(1 + 8 * 64 + 64 + 64 + 8 + 1, nb.dense(), 1e-9);
        assertEquals(64, nb.membraneUpdates(), 1e-9);
        assertEquals(NeuroBenchMetrics.footprint(model.tensors), nb.footprintBytes());
        assertTrue(nb.footprintBytes() >= 4L * (8 * 8 + 8 + 8 * 64 + 64 + 64 + 64 + 8 + 1 + 1));
        // the graded hidden events (|c| up to dt = 64) make W_o's ops MACs; the memory's values are never all +-1
        assertEquals(engine.macsPerStep() + engine.rowAddsPerStep() - (8 * 8 + 8), nb.effectiveMacs() + nb.effectiveAcs(), 1e-9);
    }

    @Test
    void deltaEncodedPredictorEqualsTheEventEngineBitForBitAndRoundTrips(@TempDir final Path tmp) throws IOException
    {
        final LmuPredictor model = new MackeyGlassTrainer(small(true, 2)).delta(1.0).train(SERIES, 750, Map.of());
        assertEquals(1.0, model.deltaThreshold, 0.0);
        final MackeyGlassEvaluation.Score engine = engineEqualsPlainForward(model);
        // the paper's rule on the same network sends more events: a delta event is a change, graded
        final LmuPredictor paper = new MackeyGlassTrainer(small(true, 2)).train(SERIES, 750, Map.of());
        final MackeyGlassEvaluation.Score paperScore = MackeyGlassEvaluation.score(paper, SERIES32);
        assertTrue(engine.rowAddsPerStep() < paperScore.rowAddsPerStep(), engine.rowAddsPerStep() + " vs " + paperScore.rowAddsPerStep());
        assertTrue(engine.smape() < 60, "delta autonomous sMAPE " + engine.smape());
        final Path file = tmp.resolve("mg-delta.safetensors");
        model.write(file);
        final LmuPredictor back = LmuPredictor.read(file);
        assertEquals(1.0, back.deltaThreshold, 0.0);
        assertArrayEquals(engine.predictions(), MackeyGlassEvaluation.score(back, SERIES32).predictions(), 0.0);
    }

    @Test
    void tapBasisIsTheSameMemoryAndItsSparseEncodersRunInTheEngineBitForBit(@TempDir final Path tmp) throws IOException
    {
        final double[] taps = {0, 1, 2.5, 4, 5, 6, 7, 8};
        final LmuPredictor model = new MackeyGlassTrainer(small(true, 0)).taps(taps, 2).train(SERIES, 750, Map.of());
        // memory component k is the Legendre memory's decoding of u(t − taps[k]) (float32 Ā', B̄': small drift only)
        final LegendreMemory lmu = LegendreMemory.zoh(8, 8);
        final PredictorForward plain = new PredictorForward(model);
        plain.reset();
        final double[] m = new double[8];
        final double[] scratch = new double[8];
        for (int t = 0; t < 300; t++)
        {
            plain.step(SERIES[t]);
            lmu.step(m, SERIES[t], scratch);
            for (int k = 0; k < 8; k++)
            {
                assertEquals(lmu.decode(m, taps[k]), plain.memory()[k], 1e-4, "tap " + k + " at step " + t);
            }
        }
        // each hidden unit reads 2 taps in [delayMin, delayMax] = [3.5, 8] (taps 4..8), no other memory component
        final float[] wm = model.tensors.get(LmuPredictor.HIDDEN_MEMORY_KERNEL);
        int nonZero = 0;
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 64; j++)
            {
                nonZero += wm[i * 64 + j] != 0f ? 1 : 0;
                assertTrue(wm[i * 64 + j] == 0f || taps[i] >= 3.5 && taps[i] <= 8, "unit " + j + " reads tap " + taps[i]);
            }
        }
        assertEquals(2 * 64, nonZero);
        final MackeyGlassEvaluation.Score engine = engineEqualsPlainForward(model);
        // effective MACs: memory nnz(Ā') + nnz(B̄'), input 1, the 2 x 64 encoder weights, readout from memory 8 + input 1
        int memory = 0;
        for (final float v : model.tensors.get(LmuPredictor.MEMORY_A))
        {
            memory += v != 0f ? 1 : 0;
        }
        for (final float v : model.tensors.get(LmuPredictor.MEMORY_B))
        {
            memory += v != 0f ? 1 : 0;
        }
        assertEquals(memory + 1 + 2 * 64 + 8 + 1, engine.macsPerStep(), 1e-9);
        assertTrue(engine.smape() < 60, "tap-basis autonomous sMAPE " + engine.smape());
        final Path file = tmp.resolve("mg-taps.safetensors");
        model.write(file);
        assertArrayEquals(engine.predictions(), MackeyGlassEvaluation.score(LmuPredictor.read(file), SERIES32).predictions(), 0.0);
    }

    @Test
    void seedSelectionUsesTheTrainingPointsOnly()
    {
        final double[] blind = SERIES.clone();
        java.util.Arrays.fill(blind, 750, blind.length, Double.NaN); // the test points must not matter
        final MackeyGlassTrainer.Config c = small(true, 0);
        final long chosen = MackeyGlassBenchmark.selectSeed(MackeyGlassTrainer::new, c, SERIES, 3, 150);
        assertEquals(chosen, MackeyGlassBenchmark.selectSeed(MackeyGlassTrainer::new, c, blind, 3, 150));
        assertTrue(chosen == 3L || chosen == 3L + 7919 || chosen == 3L + 2 * 7919, "seed " + chosen);
        assertEquals(3L, MackeyGlassBenchmark.selectSeed(MackeyGlassTrainer::new, c, blind, 1, 150));
        assertThrows(IllegalArgumentException.class, () -> MackeyGlassBenchmark.selectSeed(MackeyGlassTrainer::new, c, SERIES, 0, 150));
    }

    @Test
    void tapEncoderVariantsReadTheStatedTaps()
    {
        final double[] taps = {0, 1, 2.5, 4, 5, 6, 7, 8};
        final float[] three = new MackeyGlassTrainer(small(true, 0)).taps(taps, 3).train(SERIES, 750, Map.of()).tensors
            .get(LmuPredictor.HIDDEN_MEMORY_KERNEL);
        final float[] adjacent = new MackeyGlassTrainer(small(true, 0)).taps(taps, 2).tapAdjacent(true).train(SERIES, 750, Map.of()).tensors
            .get(LmuPredictor.HIDDEN_MEMORY_KERNEL);
        for (int j = 0; j < 64; j++)
        {
            int n3 = 0;
            int first = -1;
            int last = -1;
            for (int i = 0; i < 8; i++)
            {
                n3 += three[i * 64 + j] != 0f ? 1 : 0;
                if (adjacent[i * 64 + j] != 0f)
                {
                    first = first < 0 ? i : first;
                    last = i;
                }
            }
            assertEquals(3, n3, "unit " + j);
            // taps 4, 5, 6, 7, 8 are in [3.5, 8]: two neighbours among them
            assertTrue(first >= 3 && last == first + 1, "unit " + j + " reads taps " + first + ", " + last);
        }
    }

    @Test
    void tapBasisRejectsBadDelays()
    {
        final MackeyGlassTrainer t = new MackeyGlassTrainer(small(true, 0));
        assertThrows(IllegalArgumentException.class, () -> t.taps(new double[] {0, 1, 2}, 1));
        assertThrows(IllegalArgumentException.class, () -> t.taps(new double[] {0, 1, 2, 3, 4, 5, 6, 9}, 1));
        assertThrows(IllegalArgumentException.class, () -> t.taps(new double[] {0, 1, 2, 3, 4, 5, 6, 6}, 1));
        assertThrows(IllegalArgumentException.class, () -> t.taps(new double[] {0, 0.5, 1, 1.5, 2, 2.5, 3, 4}, 2));
        assertThrows(IllegalArgumentException.class, () -> t.taps(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, 9));
        assertThrows(IllegalArgumentException.class, () -> t.taps(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, 5));
    }

    @Test
    void trainedSpikingPredictorIsAccurateOneStepAndTracksTheAttractorAutonomously()
    {
        final LmuPredictor model = new MackeyGlassTrainer(small(true, 0)).train(SERIES, 750, Map.of());
        final PredictorForward f = new PredictorForward(model);
        f.reset();
        double se = 0;
        double var = 0;
        for (int t = 0; t < SERIES.length - 1; t++)
        {
            final double p = f.step(SERIES[t]);
            if (t >= 750)
            {
                se += (p - SERIES[t + 1]) * (p - SERIES[t + 1]);
                var += (SERIES[t + 1] - 0.9) * (SERIES[t + 1] - 0.9);
            }
        }
        // one-step on unseen test points: NRMSE < 3 % (a persistence forecast is ≈ 30 %)
        assertTrue(Math.sqrt(se / var) < 0.03, "one-step NRMSE " + Math.sqrt(se / var));
        final double smape = MackeyGlassBenchmark.score(model, SERIES);
        assertTrue(smape < 40, "autonomous sMAPE " + smape);
    }

    @Test
    void spikingAwareFineTuningRunsAndTheModelFileRoundTrips(@TempDir final Path tmp) throws IOException
    {
        final LmuPredictor model = new MackeyGlassTrainer(small(true, 3)).train(SERIES, 750, Map.of("task", "mackey-glass"));
        final Path file = tmp.resolve("mg.safetensors");
        model.write(file);
        final LmuPredictor back = LmuPredictor.read(file);
        assertEquals("mackey-glass", back.extra.get("task"));
        try (StreamModel a = new StreamModel(model, 0, -1); StreamModel b = new StreamModel(back, 0, -1))
        {
            for (int t = 0; t < 200; t++)
            {
                assertEquals(a.step(SERIES[t])[0], b.step(SERIES[t])[0], 0.0);
            }
        }
    }

    /** Runs {@code model} autonomously after 750 points in the engine and in the plain Java forward pass; they must agree bit for bit. */
    private static MackeyGlassEvaluation.Score engineEqualsPlainForward(final LmuPredictor model)
    {
        final double[] expected = new PredictorForward(model).autonomous(SERIES32, 750);
        final MackeyGlassEvaluation.Score engine = MackeyGlassEvaluation.score(model, SERIES32);
        assertArrayEquals(expected, engine.predictions(), 0.0);
        return engine;
    }

    private static double[] float32(final double[] x)
    {
        final double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++)
        {
            y[i] = (float)x[i];
        }
        return y;
    }
}
