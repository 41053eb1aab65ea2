package io.spikering.cli;

import io.spikering.core.engine.NeuronDynamics.CurrentOrder;
import io.spikering.core.engine.NeuronDynamics.Discretization;
import io.spikering.core.engine.NeuronDynamics.Reset;
import io.spikering.core.engine.NeuronDynamics.ThresholdTest;
import io.spikering.interop.nir.NirEvaluation.Classify;
import io.spikering.interop.nir.NirRunOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The options of {@code run} and {@code sweep} for a NIR graph ({@code --model G.nir}); see docs/nir.md, "Run semantics". */
final class NirOptions
{
    @Option(names = "--input", description = "NIR models: input array .npy/.npz, shape [samples, steps, features...] (floats or spike counts)")
    Path input;

    @Option(names = "--labels", description = "NIR models: integer labels .npy, one per sample (accuracy is reported when given)")
    Path labels;

    @Option(names = "--classify", description = "NIR models: class = output neuron with the most spikes ('spikes', default) or the "
        + "highest potential at any step ('potential')")
    String classify;

    @Option(names = "--discretization", description = "NIR models: 'exact' exponential integration (default) or forward 'euler'")
    String discretization;

    @Option(names = "--reset", description = "NIR models: after a spike v = v_reset ('v-reset', default) or v -= v_threshold - v_reset "
        + "('subtract')")
    String reset;

    @Option(names = "--threshold-test", description = "NIR models: spike when v > v_threshold ('strict', default) or v >= ('non-strict')")
    String threshold;

    @Option(names = "--cuba-order", description = "NIR models: CubaLIF's v integrates the current from the 'start' of the step (default) "
        + "or the 'updated' one (snnTorch)")
    String cubaOrder;

    @Option(names = "--spikes", description = "NIR models: a spike (and an input value 1) is 1 held one step ('unit', default) or a unit "
        + "impulse, 1/dt held one step ('impulse', dt-independent IF neurons as in Sinabs)")
    String spikes;

    @Option(names = "--edge-delay", description = "NIR models: steps a connection leaving an Input or neuron takes, 0 (default) or 1")
    Integer edgeDelay;

    @Option(names = "--delivery-threads", description = "NIR models: delivery threads per simulator (0 = direct path, default)")
    Integer deliveryThreads;

    @Option(names = "--record-states", description = "NIR models: write each neuron node's voltage, current and spike traces "
        + "[samples, steps, neurons] as .npy files into this directory")
    Path recordStates;

    static boolean isNir(final Path model)
    {
        return model != null && model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".nir");
    }

    /** The run semantics at {@code dt} seconds. */
    NirRunOptions semantics(final double dt)
    {
        NirRunOptions o = NirRunOptions.defaults(dt);
        if (discretization != null)
        {
            o = o.withDiscretization(switch (discretization)
            {
                case "exact" -> Discretization.EXACT;
                case "euler" -> Discretization.EULER;
                default -> throw bad("--discretization", discretization, "exact, euler");
            });
        }
        if (reset != null)
        {
            o = o.withReset(switch (reset)
            {
                case "v-reset" -> Reset.TO_V_RESET;
                case "subtract" -> Reset.SUBTRACT;
                default -> throw bad("--reset", reset, "v-reset, subtract");
            });
        }
        if (threshold != null)
        {
            o = o.withThresholdTest(switch (threshold)
            {
                case "strict" -> ThresholdTest.STRICT;
                case "non-strict" -> ThresholdTest.NON_STRICT;
                default -> throw bad("--threshold-test", threshold, "strict, non-strict");
            });
        }
        if (cubaOrder != null)
        {
            o = o.withCurrentOrder(switch (cubaOrder)
            {
                case "start" -> CurrentOrder.START_OF_STEP;
                case "updated" -> CurrentOrder.UPDATED;
                default -> throw bad("--cuba-order", cubaOrder, "start, updated");
            });
        }
        if (spikes != null)
        {
            o = o.withSpikes(switch (spikes)
            {
                case "unit" -> NirRunOptions.Spikes.UNIT;
                case "impulse" -> NirRunOptions.Spikes.IMPULSE;
                default -> throw bad("--spikes", spikes, "unit, impulse");
            });
        }
        if (edgeDelay != null)
        {
            if (edgeDelay != 0 && edgeDelay != 1)
            {
                throw bad("--edge-delay", edgeDelay.toString(), "0, 1");
            }
            o = o.withEdgeDelay(edgeDelay);
        }
        return o;
    }

    Classify classify()
    {
        if (classify == null)
        {
            return Classify.SPIKES;
        }
        return switch (classify)
        {
            case "spikes" -> Classify.SPIKES;
            case "potential" -> Classify.POTENTIAL;
            default -> throw bad("--classify", classify, "spikes, potential");
        };
    }

    int deliveryThreads()
    {
        return deliveryThreads == null ? 0 : deliveryThreads;
    }

    /** Refuses these options for a model that is not a NIR graph. */
    void requireUnused(final Path model)
    {
        final List<String> given = new ArrayList<>();
        add(given, "--input", input);
        add(given, "--labels", labels);
        add(given, "--classify", classify);
        add(given, "--discretization", discretization);
        add(given, "--reset", reset);
        add(given, "--threshold-test", threshold);
        add(given, "--cuba-order", cubaOrder);
        add(given, "--spikes", spikes);
        add(given, "--edge-delay", edgeDelay);
        add(given, "--delivery-threads", deliveryThreads);
        add(given, "--record-states", recordStates);
        if (!given.isEmpty())
        {
            throw new IllegalArgumentException(String.join(", ", given) + " appl" + (given.size() == 1 ? "ies" : "y") +
                " to NIR graphs (--model G.nir); " + model + " is an LMU model file");
        }
    }

    private static void add(final List<String> given, final String name, final Object value)
    {
        if (value != null)
        {
            given.add(name);
        }
    }

    private static IllegalArgumentException bad(final String option, final String value, final String allowed)
    {
        return new IllegalArgumentException(option + " '" + value + "' is not one of: " + allowed);
    }
}
