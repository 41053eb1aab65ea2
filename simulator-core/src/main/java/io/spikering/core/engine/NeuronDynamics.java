package io.spikering.core.engine;

import java.util.Arrays;

/**
 * Per-neuron parameters and discretization of a {@link PopulationKind#NEURON} population: the continuous-time neuron
 * models of the Neuromorphic Intermediate Representation (NIR, neuromorphs/NIR, {@code nir/ir/neuron.py} and
 * {@code threshold.py}) stepped with a fixed time step {@code dt} (seconds). x is the population's summed input of the
 * step (the projections' deliveries plus the bias), held constant over the step:
 * <pre>
 * I          dv/dt = r x
 * IF         dv/dt = r x,                         spike and reset
 * LI         tau dv/dt = (vLeak - v) + r x
 * LIF        tau dv/dt = (vLeak - v) + r x,       spike and reset
 * CUBA_LI    tauSyn dI/dt = -I + wIn x;  tau dv/dt = (vLeak - v) + r I
 * CUBA_LIF   as CUBA_LI,                          spike and reset
 * THRESHOLD  z = H(x - vThreshold), stateless
 * </pre>
 * Each step, per neuron: integrate over dt ({@link Discretization}), then for spiking models test the threshold
 * ({@link ThresholdTest}) and reset ({@link Reset}); the state kept (and reported) is the one after the reset.
 * Spiking models emit unit events valued {@link #spikeValue()}; I, LI and CUBA_LI emit v as a dense vector.
 * Exact update formulas are in docs/engine.md ("Neuron populations"). Immutable; build with {@link #builder}.
 */
public final class NeuronDynamics
{
    /** The NIR neuron primitive. */
    public enum Model
    {
        /** Integrator: dv/dt = r x; emits v. */
        I,
        /** Integrate-and-fire: dv/dt = r x; spikes. */
        IF,
        /** Leaky integrator: tau dv/dt = vLeak - v + r x; emits v. */
        LI,
        /** Leaky integrate-and-fire; spikes. */
        LIF,
        /** Current-based leaky integrator (synaptic current I, then v); emits v. */
        CUBA_LI,
        /** Current-based leaky integrate-and-fire; spikes. */
        CUBA_LIF,
        /** Heaviside step of the input, stateless; spikes. */
        THRESHOLD;

        /** Whether the model emits spikes (events) rather than its voltage. */
        public boolean isSpiking()
        {
            return this == IF || this == LIF || this == CUBA_LIF || this == THRESHOLD;
        }

        /** Whether the model has a synaptic current state (CUBA_LI, CUBA_LIF). */
        public boolean hasCurrent()
        {
            return this == CUBA_LI || this == CUBA_LIF;
        }
    }

    /** How the linear ODE is stepped over dt. */
    public enum Discretization
    {
        /** Exponential integration: the exact solution over one step with the input held constant (the default). */
        EXACT,
        /** Forward Euler (what Norse, snnTorch and SpiNNaker2 assume): state += dt * derivative at the step's start. */
        EULER
    }

    /** What a spike does to v. */
    public enum Reset
    {
        /** v = vReset (NIR's docstrings; the default). */
        TO_V_RESET,
        /**
         * v = v - (vThreshold - vReset): reset by subtraction, keeping the overshoot (snnTorch's "subtract" with
         * vReset = 0: v -= threshold). NIR files cannot say which reset their writer used.
         */
        SUBTRACT
    }

    /** The threshold comparison. */
    public enum ThresholdTest
    {
        /** Spike when v &gt; vThreshold (NIR's docstrings; the default). */
        STRICT,
        /** Spike when v &gt;= vThreshold. */
        NON_STRICT
    }

    /** Which synaptic current the CUBA voltage update integrates (no effect on the other models). */
    public enum CurrentOrder
    {
        /**
         * The current as it evolves from its value at the start of the step: EULER uses I(t) in v's derivative (as
         * Norse does); EXACT solves the coupled two-variable ODE over the step (the default).
         */
        START_OF_STEP,
        /**
         * The current updated this step, I(t + dt), held over the step for v (as snnTorch's Synaptic neuron does:
         * syn is updated first, then mem integrates it).
         */
        UPDATED
    }

    private final Model model;
    private final int size;
    private final double dt;
    private final double[] tau;
    private final double[] r;
    private final double[] vLeak;
    private final double[] vThreshold;
    private final double[] vReset;
    private final double[] tauSyn;
    private final double[] wIn;
    private final double[] vInitial;
    private final Discretization discretization;
    private final Reset reset;
    private final ThresholdTest thresholdTest;
    private final CurrentOrder currentOrder;
    private final double spikeValue;

    // per-neuron step coefficients, computed once here and shared by every simulator (see NeuronLayer)
    /** EXACT: exp(-dt/tau); EULER: dt/tau; I/IF: dt * r. */
    final double[] decay;
    /** EXACT: r * (1 - exp(-dt/tau)) (LI, LIF; CUBA with UPDATED). */
    final double[] gain;
    /** EXACT: exp(-dt/tauSyn); EULER: dt/tauSyn. */
    final double[] synDecay;
    /** EXACT CUBA with START_OF_STEP: the coefficient of r (I - wIn x) in v(t + dt), see {@link #coupling}. */
    final double[] coupling;

    private NeuronDynamics(final Builder b)
    {
        model = b.model;
        size = b.size;
        dt = b.dt;
        tau = b.tau;
        r = b.r;
        vLeak = b.vLeak;
        vThreshold = b.vThreshold;
        vReset = b.vReset;
        tauSyn = b.tauSyn;
        wIn = b.wIn;
        vInitial = b.vInitial;
        discretization = b.discretization;
        reset = b.reset;
        thresholdTest = b.thresholdTest;
        currentOrder = b.currentOrder;
        spikeValue = b.spikeValue;
        final boolean exact = discretization == Discretization.EXACT;
        decay = new double[size];
        gain = new double[size];
        synDecay = new double[size];
        coupling = new double[size];
        for (int i = 0; i < size; i++)
        {
            switch (model)
            {
                case I, IF -> decay[i] = dt * r[i];
                case LI, LIF, CUBA_LI, CUBA_LIF ->
                {
                    final double x = dt / tau[i];
                    decay[i] = exact ? StrictMath.exp(-x) : x;
                    gain[i] = exact ? r[i] * -StrictMath.expm1(-x) : 0.0;
                    if (model.hasCurrent())
                    {
                        final double y = dt / tauSyn[i];
                        synDecay[i] = exact ? StrictMath.exp(-y) : y;
                        coupling[i] = exact ? coupling(x, y) : 0.0;
                    }
                }
                case THRESHOLD ->
                {
                }
            }
        }
    }

    /**
     * For tau dv/dt = vInf - v + r (I - I_inf) with tauSyn dI/dt = I_inf - I: the factor c with
     * v(dt) = vInf + (v - vInf) e^-x + r (I - I_inf) c, where x = dt/tau, y = dt/tauSyn, h = x - y:
     * c = x (e^-y - e^-x) / h, written so that neither form cancels or overflows (c = x e^-x when h = 0).
     */
    static double coupling(final double x, final double y)
    {
        final double h = x - y;
        if (h == 0.0)
        {
            return x * StrictMath.exp(-x);
        }
        final double difference = h < 0.0 ? StrictMath.exp(-x) * StrictMath.expm1(h) : -StrictMath.exp(-y) * StrictMath.expm1(-h);
        return x * difference / h;
    }

    /** A builder for {@code size} neurons of {@code model} (size &gt; 0). */
    public static Builder builder(final Model model, final int size)
    {
        return new Builder(model, size);
    }

    public Model model()
    {
        return model;
    }

    public int size()
    {
        return size;
    }

    /** Time step in seconds (NaN for THRESHOLD built without one). */
    public double dt()
    {
        return dt;
    }

    /** Membrane time constants in seconds (copy; null for I, IF, THRESHOLD). */
    public double[] tau()
    {
        return copy(tau);
    }

    /** Resistances (copy; null for THRESHOLD). */
    public double[] r()
    {
        return copy(r);
    }

    /** Leak voltages (copy; null for I, IF, THRESHOLD). */
    public double[] vLeak()
    {
        return copy(vLeak);
    }

    /** Firing thresholds (copy; the threshold of THRESHOLD; null for non-spiking models). */
    public double[] vThreshold()
    {
        return copy(vThreshold);
    }

    /** Reset potentials (copy; zeros unless set; null for non-spiking models and THRESHOLD). */
    public double[] vReset()
    {
        return copy(vReset);
    }

    /** Synaptic time constants in seconds (copy; CUBA models only, else null). */
    public double[] tauSyn()
    {
        return copy(tauSyn);
    }

    /** Input current weights (copy; ones unless set; CUBA models only, else null). */
    public double[] wIn()
    {
        return copy(wIn);
    }

    /** Membrane potentials at step 0 and after reset (copy; vLeak for leaky models, 0 for I and IF unless set). */
    public double[] vInitial()
    {
        return copy(vInitial);
    }

    public Discretization discretization()
    {
        return discretization;
    }

    public Reset reset()
    {
        return reset;
    }

    public ThresholdTest thresholdTest()
    {
        return thresholdTest;
    }

    public CurrentOrder currentOrder()
    {
        return currentOrder;
    }

    /** The value a spike carries (held for one step); 1 by default. */
    public double spikeValue()
    {
        return spikeValue;
    }

    // package-private live views for the layers and the reference
    double tau(final int i)
    {
        return tau[i];
    }

    double r(final int i)
    {
        return r[i];
    }

    double vLeak(final int i)
    {
        return vLeak[i];
    }

    double vThreshold(final int i)
    {
        return vThreshold[i];
    }

    double vReset(final int i)
    {
        return vReset[i];
    }

    double tauSyn(final int i)
    {
        return tauSyn[i];
    }

    double wIn(final int i)
    {
        return wIn[i];
    }

    double vInitial(final int i)
    {
        return vInitial == null ? 0.0 : vInitial[i];
    }

    @Override
    public String toString()
    {
        return "NeuronDynamics " + model + " x " + size + " (dt " + dt + " s, " + discretization + ", " + reset + ", " +
            thresholdTest + ", " + currentOrder + ", spike value " + spikeValue + ")";
    }

    private static double[] copy(final double[] a)
    {
        return a == null ? null : a.clone();
    }

    /**
     * Collects parameters (each a length-size array, copied and checked when set) and options;
     * {@link #build()} checks that the model has every parameter it needs and none it does not use.
     */
    public static final class Builder
    {
        private final Model model;
        private final int size;
        private double dt = Double.NaN;
        private double[] tau;
        private double[] r;
        private double[] vLeak;
        private double[] vThreshold;
        private double[] vReset;
        private double[] tauSyn;
        private double[] wIn;
        private double[] vInitial;
        private Discretization discretization = Discretization.EXACT;
        private Reset reset = Reset.TO_V_RESET;
        private ThresholdTest thresholdTest = ThresholdTest.STRICT;
        private CurrentOrder currentOrder = CurrentOrder.START_OF_STEP;
        private double spikeValue = 1.0;

        private Builder(final Model model, final int size)
        {
            if (model == null)
            {
                throw new IllegalArgumentException("NeuronDynamics: model must not be null");
            }
            if (size <= 0)
            {
                throw new IllegalArgumentException("NeuronDynamics " + model + ": size must be > 0, got " + size);
            }
            this.model = model;
            this.size = size;
        }

        /** Membrane time constant tau (tau_mem of the CUBA models), seconds, finite and &gt; 0. */
        public Builder tau(final double[] values)
        {
            tau = positive(values, "tau");
            return this;
        }

        /** Resistance r (finite). */
        public Builder r(final double[] values)
        {
            r = finite(values, "r");
            return this;
        }

        /** Leak (resting) voltage (finite). */
        public Builder vLeak(final double[] values)
        {
            vLeak = finite(values, "v_leak");
            return this;
        }

        /** Firing threshold, or the threshold of THRESHOLD (finite). */
        public Builder vThreshold(final double[] values)
        {
            vThreshold = finite(values, "v_threshold");
            return this;
        }

        /** Reset potential (finite; default 0 as in NIR). */
        public Builder vReset(final double[] values)
        {
            vReset = finite(values, "v_reset");
            return this;
        }

        /** Synaptic time constant of the CUBA models, seconds, finite and &gt; 0. */
        public Builder tauSyn(final double[] values)
        {
            tauSyn = positive(values, "tau_syn");
            return this;
        }

        /** Input weight of the CUBA models' current (finite; default 1 as in NIR). */
        public Builder wIn(final double[] values)
        {
            wIn = finite(values, "w_in");
            return this;
        }

        /** Membrane potential at step 0 and after reset (finite; default vLeak, or 0 for I and IF). */
        public Builder vInitial(final double[] values)
        {
            vInitial = finite(values, "v_initial");
            return this;
        }

        /** Time step in seconds, finite and &gt; 0 (required except for THRESHOLD, where it has no effect). */
        public Builder dt(final double seconds)
        {
            if (!(seconds > 0.0) || Double.isInfinite(seconds))
            {
                throw new IllegalArgumentException(where() + "dt must be finite and > 0 seconds, got " + seconds);
            }
            dt = seconds;
            return this;
        }

        public Builder discretization(final Discretization value)
        {
            discretization = nonNull(value, "discretization");
            return this;
        }

        public Builder reset(final Reset value)
        {
            reset = nonNull(value, "reset");
            return this;
        }

        public Builder thresholdTest(final ThresholdTest value)
        {
            thresholdTest = nonNull(value, "thresholdTest");
            return this;
        }

        public Builder currentOrder(final CurrentOrder value)
        {
            currentOrder = nonNull(value, "currentOrder");
            return this;
        }

        /** The value a spike carries for one step (finite, non-zero; default 1). */
        public Builder spikeValue(final double value)
        {
            if (!Double.isFinite(value) || value == 0.0)
            {
                throw new IllegalArgumentException(where() + "spike value must be finite and non-zero, got " + value);
            }
            spikeValue = value;
            return this;
        }

        /** Checks that every parameter the model needs is set and none it does not use, and builds. */
        public NeuronDynamics build()
        {
            final boolean leaky = model == Model.LI || model == Model.LIF || model.hasCurrent();
            final boolean fires = model == Model.IF || model == Model.LIF || model == Model.CUBA_LIF;
            need(tau, "tau", leaky);
            need(r, "r", model != Model.THRESHOLD);
            need(vLeak, "v_leak", leaky);
            need(vThreshold, "v_threshold", model.isSpiking());
            need(tauSyn, "tau_syn", model.hasCurrent());
            allow(vReset, "v_reset", fires);
            allow(wIn, "w_in", model.hasCurrent());
            allow(vInitial, "v_initial", model != Model.THRESHOLD);
            if (model != Model.THRESHOLD && Double.isNaN(dt))
            {
                throw new IllegalArgumentException(where() + "dt (seconds) is not set; NIR is continuous-time and " +
                    "needs a time step");
            }
            if (fires && vReset == null)
            {
                vReset = new double[size];
            }
            if (model.hasCurrent() && wIn == null)
            {
                wIn = new double[size];
                Arrays.fill(wIn, 1.0);
            }
            if (model != Model.THRESHOLD && vInitial == null)
            {
                vInitial = leaky ? vLeak.clone() : new double[size];
            }
            return new NeuronDynamics(this);
        }

        private void need(final double[] values, final String name, final boolean needed)
        {
            if (needed && values == null)
            {
                throw new IllegalArgumentException(where() + "parameter " + name + " is required");
            }
            allow(values, name, needed);
        }

        private void allow(final double[] values, final String name, final boolean used)
        {
            if (!used && values != null)
            {
                throw new IllegalArgumentException(where() + "parameter " + name + " has no meaning for " + model +
                    "; leave it unset");
            }
        }

        private double[] finite(final double[] values, final String name)
        {
            if (values == null)
            {
                throw new IllegalArgumentException(where() + name + " must not be null");
            }
            if (values.length != size)
            {
                throw new IllegalArgumentException(where() + name + " has length " + values.length + ", expected " + size);
            }
            for (int i = 0; i < values.length; i++)
            {
                if (!Double.isFinite(values[i]))
                {
                    throw new IllegalArgumentException(where() + name + "[" + i + "] is " + values[i] + "; must be finite");
                }
            }
            return values.clone();
        }

        private double[] positive(final double[] values, final String name)
        {
            final double[] copy = finite(values, name);
            for (int i = 0; i < copy.length; i++)
            {
                if (!(copy[i] > 0.0))
                {
                    throw new IllegalArgumentException(where() + name + "[" + i + "] is " + copy[i] +
                        "; time constants must be > 0 seconds");
                }
            }
            return copy;
        }

        private <T> T nonNull(final T value, final String name)
        {
            if (value == null)
            {
                throw new IllegalArgumentException(where() + name + " must not be null");
            }
            return value;
        }

        private String where()
        {
            return "NeuronDynamics " + model + ": ";
        }
    }
}
