using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>Parses the command line, maps parse errors to exit 2 and runs the chosen command.</summary>
internal static class IsolateCli
{
    public static int Run(string[] args)
    {
        var syntax = new CliSyntax();
        syntax.Isolate.SetAction(parse => Guarded(parse, syntax, IsolateCommand.Run));
        syntax.Unisolate.SetAction(parse => Guarded(parse, syntax, UnisolateCommand.Run));
        syntax.Status.SetAction(parse => Guarded(parse, syntax, StatusCommand.Run));
        syntax.Show.SetAction(parse => Guarded(parse, syntax, ShowCommand.Run));

        // No response files (@file): every argument is exactly what the operator typed (cli.md is the whole surface).
        ParseResult parse = syntax.Root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

        // System.CommandLine's own error action prints every error plus the full help and exits 1; cli.md wants
        // invalid input to exit 2 with one line naming the argument.
        if (parse.Action is ParseErrorAction || parse.Tokens.Any(token => token.Type == TokenType.Directive))
        {
            return ParseFailed(parse, syntax);
        }

        return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    private static int ParseFailed(ParseResult parse, CliSyntax syntax)
    {
        Command command = parse.CommandResult.Command;
        string commandName = command == syntax.Root ? string.Empty : command.Name + " ";
        var output = new CommandOutput(command == syntax.Root ? string.Empty : command.Name, WantsJson(parse, syntax), Console.Out, Console.Error);

        // All of them, on one line: "required command missing" alone would hide the typo that caused it.
        // A leading [word] is tokenized as a directive and otherwise dropped silently; this program has none.
        IEnumerable<string> messages = parse.Tokens.Where(token => token.Type == TokenType.Directive)
            .Select(token => $"Unrecognized command or argument '{token.Value}'")
            .Concat(parse.Errors.Select(error => error.Message.ReplaceLineEndings(" ").TrimEnd('.')));
        string errors = string.Join("; ", messages.Distinct(StringComparer.Ordinal));
        string message = $"{errors} (see '{CommandOutput.ProgramName} {commandName}--help')";
        output.Complain(message);
        output.Emit(
            new CliReport
            {
                Command = output.Command,
                Ok = false,
                Error = new CliErrorReport { Kind = StateNames.InvalidArgument, Message = message },
            },
            CliJsonContext.Output.CliReport);
        return ExitCodes.InvalidArguments;
    }

    private static bool WantsJson(ParseResult parse, CliSyntax syntax)
        => parse.Tokens.Any(token => token.Type == TokenType.Option && token.Value == syntax.Json.Name);

    /// <summary>
    /// A bug (not a kernel or input failure, which each command reports itself) still ends with one stderr line
    /// and exit 1 rather than a stack trace; -v adds the trace.
    /// </summary>
    private static int Guarded(ParseResult parse, CliSyntax syntax, Func<ParseResult, CliSyntax, int> command)
    {
        try
        {
            return command(parse, syntax);
        }
#pragma warning disable CA1031 // The last line of defence: every exception becomes one line and exit 1.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            var output = new CommandOutput(parse.CommandResult.Command.Name, WantsJson(parse, syntax), Console.Out, Console.Error);
            string message = $"internal error: {exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}";
            output.Complain(message);
            if (parse.GetValue(syntax.Verbose))
            {
                Console.Error.WriteLine(exception);
            }

            output.Emit(
                new CliReport
                {
                    Command = output.Command,
                    Ok = false,
                    Table = parse.GetValue(syntax.Table) ?? IsolationPolicy.DefaultTableName,
                    Error = new CliErrorReport { Kind = StateNames.Internal, Message = message },
                },
                CliJsonContext.Output.CliReport);
            return ExitCodes.Failed;
        }
    }
}
