package io.spikering.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.spikering.core.data.PsMnist;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.model.ModelFile;
import io.spikering.training.DtPoint;
import io.spikering.training.EpochRecord;
import io.spikering.training.Evaluation;
import io.spikering.training.LmuSpec;
import io.spikering.training.PsMnistTraining;
import io.spikering.training.RecurrentActivity;
import io.spikering.training.RecurrentCheckpoint;
import io.spikering.training.RecurrentLmu;
import io.spikering.training.RecurrentTrainer;
import io.spikering.training.RecurrentModel;
import io.spikering.training.RecurrentState;
import io.spikering.training.RecurrentTraining;
import io.spikering.training.TrainingConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code train psmnist --recurrent}: trains the recurrent LMU cell on psMNIST with the options of a
 * {@link TrainCommand.PsMnistCommand} (same schedule, checkpoints, progress and keep-best as the parallel LMU), evaluates
 * the test set (accuracy from the trainer's forward pass; activity bits at quantized dt from {@link RecurrentActivity})
 * and exports a {@link RecurrentModel}; and evaluates such a model file with {@code --evaluate-only}.
 */
final class RecurrentPsMnist
{
    private final TrainCommand.PsMnistCommand o;
    private final int threads;

    RecurrentPsMnist(final TrainCommand.PsMnistCommand options, final int threads)
    {
        this.o = options;
        this.threads = threads;
    }

    /** True when {@code file}'s architecture is the recurrent LMU variant. */
    static boolean isRecurrent(final Path file) throws IOException
    {
        return LmuFile.isRecurrent(ModelFile.load(file));
    }

    void train(final PsMnist data) throws IOException
    {
        final long wallStart = System.nanoTime();
        final LmuSpec spec = o.lmuSpec();
        final RecurrentLmu.Options options = new RecurrentLmu.Options(o.hiddenToMemory, o.memoryToMemory, !o.noInputToHidden, !o.noHiddenRecurrent);
        final TrainingConfig config = o.trainingConfig(threads);
        final float[][] trainX = PsMnistTraining.sequences(data.train(), o.trainLimit);
        final int[] trainY = PsMnistTraining.labels(data.train(), o.trainLimit);
        final float[][] validX = PsMnistTraining.sequences(data.validation(), o.validationLimit);
        final int[] validY = PsMnistTraining.labels(data.validation(), o.validationLimit);
        try (RecurrentTraining training = new RecurrentTraining(spec, options, 1, config))
        {
            final RecurrentState state = training.state();
            System.out.printf(Locale.ROOT, "recurrent LMU %s, %s: %d parameters; %d train + %d validation sequences × %d steps%n", spec, options,
                state.parameters().length, trainX.length, validX.length, spec.steps());
            if (RecurrentTrainer.usesFixedMemory(1, options))
            {
                System.out.println("BPTT products: " + RecurrentTrainer.products());
            }
            boolean resumed = false;
            if (o.resume)
            {
                final Path file = o.checkpointDir.resolve(RecurrentCheckpoint.FILE_NAME);
                if (Files.isRegularFile(file))
                {
                    training.resume(file);
                    resumed = true;
                    System.out.println("resuming from " + file + " at epoch " + (state.epoch() + 1) + ", batch " + state.batch());
                }
                else
                {
                    System.out.println("no checkpoint in " + o.checkpointDir + "; starting fresh");
                }
            }
            if (!resumed && o.initFrom != null)
            {
                final RecurrentModel init = RecurrentModel.read(o.initFrom);
                if (!init.spec().equals(spec) || !init.options().equals(options) || init.inputs() != 1)
                {
                    throw new IllegalArgumentException("--init-from " + o.initFrom + " holds recurrent LMU " + init.spec() + ", " + init.options()
                        + ", " + init.inputs() + " input(s), but the options ask for " + spec + ", " + options
                        + ", 1 input; match --hidden, --order, --theta, --activation and the connection options");
                }
                System.arraycopy(init.parameters(), 0, state.parameters(), 0, state.parameters().length);
                System.out.println("initialized from " + o.initFrom);
            }
            final int batches = (trainX.length + config.batchSize() - 1) / config.batchSize();
            try (TrainingProgress progress = new TrainingProgress((long)config.epochs() * batches, (long)state.epoch() * batches + state.batch()))
            {
                training.train(trainX, trainY, validX, validY, progress);
                if (progress.stopped())
                {
                    o.printStopped(state.epoch(), state.batch());
                    return;
                }
            }
            final double trainSeconds = state.elapsedSeconds();
            final double samplesPerSecond = (double)config.epochs() * trainX.length / trainSeconds;
            System.out.printf(Locale.ROOT, "training: %.1f min over all runs, %.1f training samples/s (validation passes included in the time)%n",
                trainSeconds / 60, samplesPerSecond);
            final float[][] testX = PsMnistTraining.sequences(data.test(), o.testLimit);
            final int[] testY = PsMnistTraining.labels(data.test(), o.testLimit);
            final Map<String, String> dataset = o.datasetMetadata(trainX.length, validX.length, testX.length);
            List<DtPoint> nonSpikingRows = null;
            if (state.bestNonSpiking() != null)
            {
                nonSpikingRows = sweep(training, spec, options, state.bestNonSpiking(), testX, testY, o.dtList(o.dtEnd));
                TrainCommand.PsMnistCommand.printTable(String.format(Locale.ROOT,
                    "Best non-spiking-phase model (epoch %d, validation %.2f%%), quantized without fine-tuning:", state.bestNonSpikingEpoch() + 1,
                    100 * state.bestNonSpikingAccuracy()), nonSpikingRows);
                if (o.nonSpikingOut != null)
                {
                    final Map<String, String> meta = new LinkedHashMap<>(dataset);
                    meta.put("training", o.provenance(config, trainSeconds, samplesPerSecond, nonSpikingRows, state.bestNonSpikingEpoch(),
                        state.bestNonSpikingAccuracy(), wallStart));
                    new RecurrentModel(spec, options, 1, state.bestNonSpiking(), false, o.dtEnd, meta).write(o.nonSpikingOut);
                    System.out.println("wrote " + o.nonSpikingOut);
                }
            }
            final boolean hybrid = state.hasSpikingBest();
            final List<DtPoint> rows;
            if (hybrid || nonSpikingRows == null)
            {
                rows = sweep(training, spec, options, state.best(), testX, testY, o.dtList(o.dtEnd));
                TrainCommand.PsMnistCommand.printTable(hybrid ? String.format(Locale.ROOT, "Best spiking-aware model (epoch %d, validation %.2f%% at dt %s):",
                    state.bestSpikingEpoch() + 1, 100 * state.bestSpikingAccuracy(), EpochRecord.dtNameOf(o.dtEnd)) : "Final model:", rows);
            }
            else
            {
                rows = nonSpikingRows;
            }
            final Map<String, String> meta = new LinkedHashMap<>(dataset);
            meta.put("training", o.provenance(config, trainSeconds, samplesPerSecond, rows, state.bestEpoch(), state.bestAccuracy(), wallStart));
            new RecurrentModel(spec, options, 1, state.best(), hybrid, o.dtEnd, meta).write(o.out);
            System.out.println("wrote " + o.out + " (" + Files.size(o.out) + " bytes)");
        }
    }

    void evaluateOnly(final PsMnist data) throws IOException
    {
        final RecurrentModel m = RecurrentModel.read(o.model);
        System.out.println("model " + o.model + ": recurrent LMU " + m.spec() + ", " + m.options() + ", hidden quantized " + m.hiddenQuantized()
            + ", dt " + m.dt());
        final String ds = m.extraMetadata().get("dataset");
        if (ds != null && !ds.contains("\"permutation_seed\":" + o.permutationSeed))
        {
            System.out.println("warning: the model's dataset metadata " + ds + " does not name permutation seed " + o.permutationSeed);
        }
        final float[][] testX = PsMnistTraining.sequences(data.test(), o.testLimit);
        final int[] testY = PsMnistTraining.labels(data.test(), o.testLimit);
        final TrainingConfig config = TrainingConfig.defaults(1, 0, 0, threads).withBatch(Math.max(o.batch, o.shard), o.shard);
        try (RecurrentTraining evaluator = new RecurrentTraining(m.spec(), m.options(), m.inputs(), config))
        {
            final List<DtPoint> rows = sweep(evaluator, m.spec(), m.options(), m.parameters(), testX, testY, o.dtList(m.dt()));
            TrainCommand.PsMnistCommand.printTable("Test set (" + testX.length + " samples), model " + o.model.getFileName(), rows);
            final String training = m.extraMetadata().get("training");
            if (training != null)
            {
                System.out.println("recorded at training: " + training);
                TrainCommand.compareWithRecord(training, m.extraMetadata().get("dataset"), rows, testX.length, o.evalSeed);
            }
        }
    }

    /**
     * Test accuracy at each dt with the trainer's forward pass, and for quantized dt the activity of the hidden layer over
     * the first --activity-samples test samples (double-precision reference forward, the same initial voltages).
     */
    private List<DtPoint> sweep(final RecurrentTraining evaluator, final LmuSpec spec, final RecurrentLmu.Options options, final float[] params,
        final float[][] x, final int[] y, final List<Double> dts)
    {
        final List<DtPoint> rows = new ArrayList<>();
        for (final double dt : dts)
        {
            long start = System.nanoTime();
            Evaluation e = evaluator.evaluate(params, x, y, dt, o.evalSeed);
            System.out.printf(Locale.ROOT, "  dt %s: accuracy %.2f%% (%.1f s, %.0f samples/s)%n", EpochRecord.dtNameOf(dt), 100 * e.accuracy(),
                (System.nanoTime() - start) * 1e-9, e.samples() / ((System.nanoTime() - start) * 1e-9));
            if (dt > 0.0)
            {
                start = System.nanoTime();
                final int n = Math.min(o.activitySamples, x.length);
                final Evaluation a = RecurrentActivity.measure(spec, options, 1, params, x, y, n, dt, o.evalSeed, threads);
                System.out.printf(Locale.ROOT, "    activity over the first %d test samples: %.1f s (reference forward: accuracy %.2f%% on them)%n", n,
                    (System.nanoTime() - start) * 1e-9, 100 * a.accuracy());
                e = new Evaluation(e.samples(), e.loss(), e.accuracy(), dt, a.counts());
            }
            rows.add(DtPoint.of(e));
        }
        return rows;
    }
}
