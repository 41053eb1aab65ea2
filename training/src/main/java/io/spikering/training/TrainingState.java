package io.spikering.training;

/**
 * Everything a run needs to continue exactly where it stopped: parameters, Adam moments and step, the position
 * (epoch, next batch; shuffles and initial voltages are pure functions of the seed, epoch and batch), the epoch's
 * running sums, the best models of each phase and the history. {@link Checkpoint} writes and reads it.
 */
public final class TrainingState extends TrainingProgress<LmuParameters>
{
    final LmuSpec spec;
    final TrainingConfig config;
    final Standardization standardization;
    final LmuParameters params;
    final Adam adam;

    TrainingState(final LmuSpec spec, final TrainingConfig config, final Standardization standardization, final LmuParameters params)
    {
        this.spec = spec;
        this.config = config;
        this.standardization = standardization;
        this.params = params;
        this.adam = new Adam(spec.parameterCount());
    }

    /** A fresh run: parameters initialised from the config's seed. */
    public static TrainingState start(final LmuSpec spec, final TrainingConfig config, final Standardization standardization)
    {
        return new TrainingState(spec, config, standardization, LmuParameters.initialize(spec, config.seed()));
    }

    /** A fresh run starting from {@code initial} (e.g. a shipped model, {@link LmuExport#unfold}) instead of a random init. */
    public static TrainingState start(final LmuSpec spec, final TrainingConfig config, final Standardization standardization,
        final LmuParameters initial)
    {
        if (!initial.spec().equals(spec))
        {
            throw new IllegalArgumentException("initial parameters are for model " + initial.spec() + ", the run trains " + spec);
        }
        return new TrainingState(spec, config, standardization, initial.copy());
    }

    public boolean finished()
    {
        return epoch >= config.epochs();
    }

    public LmuSpec spec()
    {
        return spec;
    }

    public TrainingConfig config()
    {
        return config;
    }

    public Standardization standardization()
    {
        return standardization;
    }

    /** The current (last) parameters. */
    public LmuParameters parameters()
    {
        return params;
    }

    /** The model to ship: the best spiking one if any, else the best non-spiking one, else the current one. */
    public LmuParameters best()
    {
        return bestSpiking != null ? bestSpiking : bestNonSpiking != null ? bestNonSpiking : params;
    }

    public Adam adam()
    {
        return adam;
    }
}
