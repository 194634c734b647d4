using AuroraSoc.NetlinkIsolation.Cli.Core;
using AuroraSoc.NetlinkIsolation.Testing;
using AuroraSoc.NetlinkIsolation.Testing.Processes;

namespace AuroraSoc.NetlinkIsolation.Tests.Cli;

/// <summary>
/// The man page and the bash completion the package ships are written from the option table: every command and every
/// option of every command is in both, so an option added to the table cannot be missing from either.
/// </summary>
public sealed class ManualAndCompletionTests
{
    public static TheoryData<string, string> CommandOptions()
    {
        var data = new TheoryData<string, string>();
        foreach (CliCommand command in CliSyntax.Commands)
        {
            foreach (CliOption option in command.Options)
            {
                data.Add(command.Name, option.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CommandOptions))]
    public void ManPageWriter_EveryOptionOfEveryCommand_InItsCommandsSection(string commandName, string optionName)
    {
        string page = ManPageWriter.Write("0.0.0");

        string section = CommandSection(page, commandName);

        Assert.Contains(".TP\n.B \\fB" + ManPageWriter.Escape(optionName) + "\\fR", section, StringComparison.Ordinal);
        Assert.Contains(@"\fB" + ManPageWriter.Escape(optionName) + @"\fR", SynopsisOf(page, commandName), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CommandOptions))]
    public void BashCompletionWriter_EveryOptionOfEveryCommand_OfferedAfterThatCommand(string commandName, string optionName)
    {
        string script = BashCompletionWriter.Write();

        string words = CompletionWords(script, commandName);

        Assert.Contains(optionName, words.Split(' '));
    }

    [Fact]
    public void BashCompletionWriter_NoCommandYet_OffersEveryCommandAndTheRootOptions()
    {
        string[] words = CompletionWords(BashCompletionWriter.Write(), "*").Split(' ');

        foreach (CliCommand command in CliSyntax.Commands)
        {
            Assert.Contains(command.Name, words);
        }

        Assert.Contains("--version", words);
        Assert.Contains("--help", words);
    }

    [Fact]
    public void ManPageWriter_ExitStatus_EveryExitCodeOfTheRootHelp()
    {
        string page = ManPageWriter.Write("0.0.0");

        List<(string Code, string Meaning)> codes = ManPageWriter.ExitStatus();

        Assert.Equal(["0", "1", "2", "3", "4"], codes.Select(c => c.Code));
        foreach ((string code, string meaning) in codes)
        {
            Assert.Contains($".B {code}\n{ManPageWriter.Escape(meaning)}\n", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ManPageWriter_FilesSection_NamesStateDirectorySocketAndUnit()
    {
        string page = ManPageWriter.Write("0.0.0");

        string files = page[page.IndexOf(".SH FILES", StringComparison.Ordinal)..];
        Assert.Contains(@"/var/lib/aurorasoc\-isolate/guard.sock", files, StringComparison.Ordinal);
        Assert.Contains(@"aurorasoc\-isolate\-guard.service", files, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".starts a request", @"\&.starts a request")]
    [InlineData("back\\slash", @"back\eslash")]
    [InlineData("--json", @"\-\-json")]
    [InlineData("a — b", @"a \[u2014] b")]
    public void Escape_GroffSpecialText_WrittenSafely(string text, string expected) => Assert.Equal(expected, ManPageWriter.Escape(text));

    [Theory]
    [InlineData("keep|strict", "compgen -W 'keep strict'")]
    [InlineData("DIR", "_filedir -d")]
    [InlineData("PATH", "_filedir")]
    [InlineData("FILE|-", "_filedir")]
    [InlineData("PID", "_pids")]
    [InlineData("ENDPOINT", ":")]
    public void ValueCompletion_ValueName_CompletesWhatItNames(string valueName, string expected)
        => Assert.Contains(expected, BashCompletionWriter.ValueCompletion(valueName), StringComparison.Ordinal);

    [Fact]
    public void ManPage_RenderedByGroffWithAllWarnings_NoWarning()
    {
        if (Requirements.FindOnPath("groff") is null)
        {
            Requirements.Unavailable("groff is not installed (Debian package groff-base)");
        }

        AssertToolAccepts(ManPageWriter.Write("0.0.0"), "8", "groff", "-ww", "-z", "-man", "-Tutf8");
    }

    [Fact]
    public void BashCompletion_SyntaxCheckedByBash_Valid() => AssertToolAccepts(BashCompletionWriter.Write(), "bash", "bash", "-n");

    /// <summary>Writes <paramref name="text"/> to a temporary file and runs the tool on it: exit 0 and nothing on stderr.</summary>
    private static void AssertToolAccepts(string text, string extension, string tool, params string[] arguments)
    {
        string path = Path.Combine(Path.GetTempPath(), $"aurorasoc-generated-{Environment.ProcessId}-{Guid.NewGuid():N}.{extension}");
        File.WriteAllText(path, text);
        try
        {
            string[] all = [.. arguments, path];
            ProcessResult result = ProcessRunner.Run(tool, all);

            Assert.True(result.Succeeded && result.StandardError.Length == 0, $"{tool}: exit {result.ExitCode}: {result.StandardError}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>From <c>.SS NAME</c> to the next section or subsection.</summary>
    private static string CommandSection(string page, string commandName)
    {
        int start = page.IndexOf($".SS {ManPageWriter.Escape(commandName)}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no .SS {commandName}");
        int end = page.IndexOf("\n.S", start + 4, StringComparison.Ordinal);
        return page[start..(end < 0 ? page.Length : end)];
    }

    /// <summary>The command's .SY ... .YS block.</summary>
    private static string SynopsisOf(string page, string commandName)
    {
        int start = page.IndexOf($"\n.B {ManPageWriter.Escape(commandName)}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no synopsis of {commandName}");
        return page[start..page.IndexOf("\n.YS", start, StringComparison.Ordinal)];
    }

    /// <summary>The word list of one <c>case $command</c> branch.</summary>
    private static string CompletionWords(string script, string branch)
    {
        int start = script.IndexOf($"\n        {branch})\n            options='", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no completion branch {branch}");
        start = script.IndexOf('\'', start) + 1;
        return script[start..script.IndexOf('\'', start)];
    }
}
