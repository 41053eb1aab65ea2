package io.spikering.training;

import io.spikering.core.lmu.LmuFile;
import io.spikering.neuron.Activation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportTest
{
    private static final LmuSpec SPEC = Synthetic.spec(16, Activation.TANH);
    private static Synthetic valRaw;
    private static TrainingState state;
    private static MemoryFeatures val;

    @BeforeAll
    static void train()
    {
        final MemoryFeatures train = Synthetic.make(SPEC, 300, 1).features(SPEC, 2);
        valRaw = Synthetic.make(SPEC, 90, 2);
        val = valRaw.features(SPEC, 2);
        final Standardization std = train.statistics();
        train.standardize(std);
        val.standardize(std);
        final TrainingConfig c = TrainingConfig.defaults(3, 1, 42, 2).withBatch(32, 8).withDt(2.0, 1.0, true).withLearningRates(1e-2, 3e-3, 1.0);
        try (Trainer trainer = new Trainer(SPEC, c))
        {
            state = trainer.train(TrainingState.start(SPEC, c, std), train, val, TrainingListener.NONE);
        }
    }

    private static LmuFile export()
    {
        return LmuExport.export(state.best(), state.standardization(), MemoryMatrices.of(SPEC), 1.0, true, Map.of("dataset", "{\"name\":\"synthetic\"}"));
    }

    @Test
    void foldedStandardizationGivesTheSameModel()
    {
        final LmuFile model = export();
        final MemoryFeatures raw = valRaw.features(SPEC, 1);
        final TrainingConfig c = TrainingConfig.defaults(1, 0, 42, 1).withBatch(32, 8);
        try (Trainer trainer = new Trainer(SPEC, c))
        {
            final Evaluation original = trainer.evaluate(state.best(), val, 0.0, 7, false);
            final Evaluation exported = trainer.evaluate(LmuExport.parameters(model), raw, 0.0, 7, false);
            assertEquals(original.accuracy(), exported.accuracy(), 1.5 / raw.count());
            assertEquals(original.loss(), exported.loss(), 1e-4);
            final Evaluation spikingOriginal = trainer.evaluate(state.best(), val, 1.0, 7, true);
            final Evaluation spikingExported = trainer.evaluate(LmuExport.parameters(model), raw, 1.0, 7, true);
            assertEquals(spikingOriginal.accuracy(), spikingExported.accuracy(), 1.5 / raw.count());
        }
    }

    @Test
    void referenceForwardAgreesWithTheBatchedEvaluator()
    {
        final LmuFile model = export();
        final MemoryFeatures raw = valRaw.features(SPEC, 1);
        final LmuParameters p = LmuExport.parameters(model);
        final ShardKernel kernel = new ShardKernel(SPEC, 1);
        final long seed = 99;
        int samePrediction = 0;
        long sameCounts = 0;
        long totalCounts = 0;
        for (int s = 0; s < raw.count(); s++)
        {
            final double[] v = new double[SPEC.hidden()];
            ShardKernel.initialVoltages(ShardKernel.voltageSeed(seed, s), v);
            final ReferenceForward.Result ref = ReferenceForward.run(model, valRaw.sequences[s], 1.0, true, v);
            final long[] tally = new long[2 * ShardKernel.COUNT_RANGE + 1];
            final double[] result = new double[2];
            kernel.run(p.values(), raw, new int[] {s}, 0, 1, 1.0, 0.0, seed, s, null, 0.0f, tally, result);
            samePrediction += (result[1] == 1.0) == (ref.prediction() == raw.label(s)) ? 1 : 0;
            // the kernel's tally must equal the reference's counts
            final long[] refTally = new long[tally.length];
            for (final int[] row : ref.counts())
            {
                for (final int n : row)
                {
                    refTally[n + ShardKernel.COUNT_RANGE]++;
                }
            }
            for (int i = 0; i < tally.length; i++)
            {
                sameCounts += Math.min(tally[i], refTally[i]);
                totalCounts += refTally[i];
            }
            // non-spiking logits agree to float rounding
            final ReferenceForward.Result plain = ReferenceForward.run(model, valRaw.sequences[s], 1.0, false, v);
            final double[] r2 = new double[2];
            kernel.run(p.values(), raw, new int[] {s}, 0, 1, 0.0, 0.0, seed, s, null, 0.0f, null, r2);
            assertEquals(r2[1] == 1.0, plain.prediction() == raw.label(s), "non-spiking prediction of sample " + s);
        }
        assertTrue(samePrediction >= raw.count() - 1, "predictions agree on " + samePrediction + " of " + raw.count());
        assertTrue(sameCounts >= totalCounts * 0.999, "count tallies agree on " + sameCounts + " of " + totalCounts);
    }

    @Test
    void architectureRoundTripsAndBadInputIsRejected()
    {
        final LmuFile model = export();
        final LmuFile back = LmuFile.create(model.architecture(), model.tensors(), model.extraMetadata());
        assertEquals(SPEC, LmuExport.spec(back));
        assertEquals(1.0, back.dt());
        assertTrue(back.hiddenQuantized());
        assertEquals("{\"name\":\"synthetic\"}", back.extraMetadata().get("dataset"));
        final String json = LmuFile.architectureJson(model.architecture());
        assertTrue(json.contains("\"hidden_first_step\":36"), json);
        final Map<String, float[]> missing = new java.util.LinkedHashMap<>(model.tensors());
        missing.remove(LmuFile.READOUT_BIAS);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> LmuFile.create(model.architecture(), missing, Map.of()));
        assertTrue(e.getMessage().contains(LmuFile.READOUT_BIAS), e.getMessage());
        final Map<String, float[]> nan = new java.util.LinkedHashMap<>(model.tensors());
        final float[] bias = nan.get(LmuFile.HIDDEN_BIAS).clone();
        bias[3] = Float.NaN;
        nan.put(LmuFile.HIDDEN_BIAS, bias);
        final IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
            () -> LmuFile.create(model.architecture(), nan, Map.of()));
        assertTrue(n.getMessage().contains("index [3]") && n.getMessage().contains(LmuFile.HIDDEN_BIAS), n.getMessage());
    }
}
