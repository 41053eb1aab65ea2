package io.spikering.training.mackeyglass;

import io.spikering.core.data.MackeyGlass;
import io.spikering.core.stream.LmuPredictor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * NeuroBench's Mackey-Glass protocol (docs/mackey-glass.md): per repeat k, the series starts at offset
 * 0.5·k Lyapunov-time-points (37.5·k time units); a model is trained on its first 750 points (one-step-ahead),
 * runs teacher-forced over them, then predicts the remaining 749 points autonomously (its own prediction is its
 * next input); the score is the sMAPE of those predictions, averaged over repeats.
 */
public final class MackeyGlassBenchmark
{
    public static final int TRAIN_POINTS = MackeyGlass.TRAIN_LYAPUNOV_TIMES * MackeyGlass.POINTS_PER_LYAPUNOV_TIME;
    /** Start offset between repeats, in time units (NeuroBench: 0.5 × 75, passed as a time offset). */
    public static final double REPEAT_OFFSET = 0.5 * MackeyGlass.POINTS_PER_LYAPUNOV_TIME;
    /** Validation segments for hyperparameter choice start here, far past every test segment. */
    public static final double VALIDATION_START = 20_000;

    /** Per-repeat results. */
    public record Result(double[] smape, LmuPredictor firstModel)
    {
        public double mean()
        {
            double s = 0;
            for (final double v : smape)
            {
                s += v;
            }
            return s / smape.length;
        }
    }

    private MackeyGlassBenchmark()
    {
    }

    public static double[] series(final MackeyGlass mg, final double base, final int repeat)
    {
        return mg.neuroBenchSeries(base + repeat * REPEAT_OFFSET);
    }

    /** Trains one model per repeat (seed + k) and scores it autonomously. */
    public static Result run(final MackeyGlassTrainer.Config config, final double base, final int repeats)
    {
        final MackeyGlass mg = MackeyGlass.neuroBench();
        final double[] scores = new double[repeats];
        LmuPredictor first = null;
        for (int k = 0; k < repeats; k++)
        {
            final double[] s = series(mg, base, k);
            final Map<String, String> meta = new LinkedHashMap<>();
            meta.put("task", "mackey-glass");
            meta.put("series", "NeuroBench tau=17 n=10 beta=0.2 gamma=0.1 constant_past=0.7206597, start offset " +
                (base + k * REPEAT_OFFSET) + " (time units after t=tau)");
            meta.put("train_points", Integer.toString(TRAIN_POINTS));
            meta.put("training_config", config.withSeed(config.seed() + k).toString());
            final LmuPredictor model = new MackeyGlassTrainer(config.withSeed(config.seed() + k)).train(s, TRAIN_POINTS, meta);
            scores[k] = score(model, s);
            if (k == 0)
            {
                first = model;
            }
        }
        return new Result(scores, first);
    }

    /**
     * Picks the encoder seed among {@code candidates} (seed + 7919·i) using the training points only: each candidate is
     * trained on the first TRAIN_POINTS − holdout points and scored by its autonomous sMAPE over the last holdout points;
     * returns the best seed (ties: the first). The test points are never looked at.
     */
    public static long selectSeed(final java.util.function.Function<MackeyGlassTrainer.Config, MackeyGlassTrainer> trainer,
        final MackeyGlassTrainer.Config config, final double[] s, final int candidates, final int holdout)
    {
        if (candidates < 1 || holdout < 10 || holdout > TRAIN_POINTS - 100)
        {
            throw new IllegalArgumentException("--select-seeds must be >= 1 and --select-holdout in [10, " + (TRAIN_POINTS - 100) + "], got " +
                candidates + ", " + holdout);
        }
        if (candidates == 1)
        {
            return config.seed();
        }
        final int fit = TRAIN_POINTS - holdout;
        final double[] part = java.util.Arrays.copyOf(s, TRAIN_POINTS);
        final double[] targets = java.util.Arrays.copyOfRange(s, fit + 1, TRAIN_POINTS);
        long best = config.seed();
        double bestScore = Double.POSITIVE_INFINITY;
        for (int i = 0; i < candidates; i++)
        {
            final long seed = config.seed() + 7919L * i;
            final LmuPredictor m = trainer.apply(config.withSeed(seed)).train(part, fit, Map.of());
            final double score = MackeyGlass.smape(new PredictorForward(m).autonomous(part, fit), targets);
            if (score < bestScore)
            {
                bestScore = score;
                best = seed;
            }
        }
        return best;
    }

    /** Autonomous sMAPE of a model on one 1500-point series. */
    public static double score(final LmuPredictor model, final double[] s)
    {
        final double[] predictions = new PredictorForward(model).autonomous(s, TRAIN_POINTS);
        final double[] targets = java.util.Arrays.copyOfRange(s, TRAIN_POINTS + 1, s.length);
        return MackeyGlass.smape(predictions, targets);
    }

    /** Experiments: {@code java ... MackeyGlassBenchmark order theta hidden dt ridge epochs spikingEpochs lr gain noise copies fanIn delayMin delayMax repeats [base]}. */
    public static void main(final String[] args)
    {
        final MackeyGlassTrainer.Config c = new MackeyGlassTrainer.Config(Integer.parseInt(args[0]), Double.parseDouble(args[1]),
            Integer.parseInt(args[2]), Double.parseDouble(args[3]) > 0, Math.max(1, Double.parseDouble(args[3])), 1.0, 1L,
            Double.parseDouble(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]), Double.parseDouble(args[7]),
            Double.parseDouble(args[8]), Double.parseDouble(args[9]), Integer.parseInt(args[10]), Integer.parseInt(args[11]), Double.parseDouble(args[12]), Double.parseDouble(args[13]));
        final int repeats = Integer.parseInt(args[14]);
        final double base = args.length > 15 ? Double.parseDouble(args[15]) : VALIDATION_START;
        final long t0 = System.nanoTime();
        final Result r = run(c, base, repeats);
        System.out.printf("%s mean sMAPE %.3f per repeat %s (%.1f s)%n", c, r.mean(), java.util.Arrays.toString(
            java.util.Arrays.stream(r.smape()).map(v -> Math.round(v * 100) / 100.0).toArray()), (System.nanoTime() - t0) / 1e9);
    }
}
