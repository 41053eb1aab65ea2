package io.spikering.interop.nir;

import io.spikering.core.engine.NeuronDynamics.CurrentOrder;
import io.spikering.core.engine.NeuronDynamics.Discretization;
import io.spikering.core.engine.NeuronDynamics.Reset;
import io.spikering.core.engine.NeuronDynamics.ThresholdTest;

import java.util.Locale;
import java.util.Objects;

/**
 * How a continuous-time NIR graph runs in discrete steps: the step dt (seconds) and each point NIR leaves open (see
 * docs/nir.md, "Run semantics"). Immutable; start from {@link #defaults(double)} and change with the with-methods.
 *
 * @param dt             time step in seconds
 * @param discretization exact exponential integration (default) or forward Euler
 * @param reset          v = v_reset (NIR's docstrings, default) or reset by subtraction
 * @param thresholdTest  v &gt; v_threshold (NIR's docstrings, default) or v &gt;= v_threshold
 * @param currentOrder   whether a CubaLIF's v integrates the current from the start of the step (default) or the updated one
 * @param spikes         what a spike is: a value 1 held for one step (default), or a unit impulse, 1/dt held for one step
 * @param edgeDelay      steps a connection leaving an Input or neuron node takes: 0 (default, within the step) or 1
 */
public record NirRunOptions(double dt, Discretization discretization, Reset reset, ThresholdTest thresholdTest,
                            CurrentOrder currentOrder, Spikes spikes, int edgeDelay)
{
    /** What a spike (and an input value of 1) is. */
    public enum Spikes
    {
        /** A value 1 held for one step: its effect on an integrator scales with dt (Norse, snnTorch, NIR's LIF paper). */
        UNIT,
        /** A unit impulse, 1/dt held for one step: each spike moves an IF neuron's v by r * weight whatever dt (Sinabs). */
        IMPULSE;

        /** The value a spike carries at step {@code dt}. */
        public double value(final double dt)
        {
            return this == UNIT ? 1.0 : 1.0 / dt;
        }
    }

    public NirRunOptions
    {
        if (!(dt > 0.0) || Double.isInfinite(dt))
        {
            throw new IllegalArgumentException("dt must be a finite number of seconds > 0, got " + dt);
        }
        Objects.requireNonNull(discretization, "discretization");
        Objects.requireNonNull(reset, "reset");
        Objects.requireNonNull(thresholdTest, "thresholdTest");
        Objects.requireNonNull(currentOrder, "currentOrder");
        Objects.requireNonNull(spikes, "spikes");
        if (edgeDelay != 0 && edgeDelay != 1)
        {
            throw new IllegalArgumentException("edge delay must be 0 (deliver within the step) or 1 (next step), got " + edgeDelay);
        }
    }

    /** Exact integration, reset to v_reset, strict threshold, start-of-step current, unit spikes, no edge delay. */
    public static NirRunOptions defaults(final double dt)
    {
        return new NirRunOptions(dt, Discretization.EXACT, Reset.TO_V_RESET, ThresholdTest.STRICT, CurrentOrder.START_OF_STEP,
            Spikes.UNIT, 0);
    }

    public NirRunOptions withDt(final double value)
    {
        return new NirRunOptions(value, discretization, reset, thresholdTest, currentOrder, spikes, edgeDelay);
    }

    public NirRunOptions withDiscretization(final Discretization value)
    {
        return new NirRunOptions(dt, value, reset, thresholdTest, currentOrder, spikes, edgeDelay);
    }

    public NirRunOptions withReset(final Reset value)
    {
        return new NirRunOptions(dt, discretization, value, thresholdTest, currentOrder, spikes, edgeDelay);
    }

    public NirRunOptions withThresholdTest(final ThresholdTest value)
    {
        return new NirRunOptions(dt, discretization, reset, value, currentOrder, spikes, edgeDelay);
    }

    public NirRunOptions withCurrentOrder(final CurrentOrder value)
    {
        return new NirRunOptions(dt, discretization, reset, thresholdTest, value, spikes, edgeDelay);
    }

    public NirRunOptions withSpikes(final Spikes value)
    {
        return new NirRunOptions(dt, discretization, reset, thresholdTest, currentOrder, value, edgeDelay);
    }

    public NirRunOptions withEdgeDelay(final int value)
    {
        return new NirRunOptions(dt, discretization, reset, thresholdTest, currentOrder, spikes, value);
    }

    /** The value a spike carries. */
    public double spikeValue()
    {
        return spikes.value(dt);
    }

    /** One line for reports: "dt 0.0001 s, exact, reset to-v-reset, ...". */
    public String describe()
    {
        return String.format(Locale.ROOT, "dt %s s, %s, reset %s, threshold %s, cuba current %s, spikes %s, edge delay %d",
            java.math.BigDecimal.valueOf(dt).stripTrailingZeros().toPlainString(), lower(discretization), lower(reset), lower(thresholdTest), lower(currentOrder), lower(spikes), edgeDelay);
    }

    private static String lower(final Enum<?> e)
    {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
