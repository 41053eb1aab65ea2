package io.spikering.flink;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the scale-out job jar ({@code flink/target/spikering-flink.jar}): {@code ./spikering flink run|bench}
 * on an embedded MiniCluster, or {@code flink run spikering-flink.jar run ...} on a Flink cluster (docs/scale-out.md).
 */
@Command(name = "spikering flink", mixinStandardHelpOptions = true,
    description = "One network per key (stream / sensor id) on Apache Flink, state in keyed state, outputs exactly once (docs/scale-out.md).",
    subcommands = {RunCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class FlinkMain implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        final int code = run(args);
        // under `flink run` the client owns the JVM: exit only to report a failure
        if (code != 0)
        {
            System.exit(code);
        }
    }

    /** Runs the command line and returns its exit code: 2 for bad input (a message, no stack trace). */
    public static int run(final String... args)
    {
        final CommandLine cli = new CommandLine(new FlinkMain());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
        {
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException || ex instanceof IllegalStateException)
            {
                commandLine.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cli.execute(args);
    }

    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
