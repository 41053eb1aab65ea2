package io.spikering.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code spikering} command. Each sub-command lives in its own class. */
@Command(
    name = "spikering",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Event-driven simulator for hybrid spiking neural networks (sigma-delta quantized LMUs).",
    subcommands = {
        DemoCommand.class,
        RunCommand.class,
        SweepCommand.class,
        ParetoCommand.class,
        TrainCommand.class,
        DataCommand.class,
        InspectCommand.class,
        ExportCommand.class,
        LmuCommand.class,
        BenchCommand.class,
        RasterCommand.class,
        StreamCommand.class,
        MackeyGlassCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class Main implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (used by tests without exiting the JVM). */
    public static int run(final String... args)
    {
        final CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
        {
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException || ex instanceof IllegalStateException
                || ex instanceof java.io.UncheckedIOException
                || ex instanceof io.spikering.interop.nir.NirFormatException || ex instanceof io.spikering.interop.numpy.NumpyFormatException)
            {
                commandLine.getErr().println("error: " + message(ex));
                return 2;
            }
            throw ex;
        });
        try
        {
            return cli.execute(args);
        }
        catch (final OutOfMemoryError e)
        {
            System.err.println("error: out of memory (" + e.getMessage() + "); give the JVM more heap, e.g. SPIKERING_JAVA_OPTS=-Xmx16g, "
                + "or ask for less (fewer samples, threads or a smaller model)");
            return 2;
        }
    }

    /**
     * An exception's message for the user: without the JSON library's advice to its programmers (Gson appends "Use
     * JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON" and a troubleshooting link) or a class name.
     */
    static String message(final Throwable ex)
    {
        String m = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        m = m.replaceAll("(com\\.google\\.gson\\.[\\w.]+|java\\.[\\w.]+Exception): ", "")
            .replaceAll("Use JsonReader\\.set(Strictness\\(Strictness\\.LENIENT\\)|Lenient\\(true\\)) to accept malformed JSON ", "malformed JSON ")
            .replaceAll("\\s*See https://github\\.com/google/gson/\\S*", "");
        return m.strip();
    }

    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider
    {
        public String[] getVersion()
        {
            final String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"spikering " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
