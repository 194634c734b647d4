using AuroraSoc.NetlinkIsolation.Cli.Core;

namespace AuroraSoc.NetlinkIsolation.Tests.Cli;

/// <summary>
/// The parser against the commands' own tables (<see cref="CliSyntax.Commands"/>): every option of every command is
/// read with its value, in each way it can be written. The rows come from the tables, so an option added to a
/// command is covered without a new test.
/// </summary>
public sealed class CommandLineParserTests
{
    /// <summary>Every (command, option) pair of the tables.</summary>
    public static TheoryData<string, string> CommandOptions() => CliTable.Rows(_ => true);

    /// <summary>Every (command, option) pair whose option takes a value.</summary>
    public static TheoryData<string, string> CommandValueOptions() => CliTable.Rows(option => option.Values != OptionValues.None);

    /// <summary>Every (command, option) pair whose option may be left out.</summary>
    public static TheoryData<string, string> CommandOptionalOptions() => CliTable.Rows(option => !option.Required);

    [Theory]
    [MemberData(nameof(CommandOptions))]
    public void Parse_EachOptionOfEachCommand_ReadsItsValue(string commandName, string optionName)
    {
        (CliCommand command, CliOption option) = CliTable.Find(commandName, optionName);
        List<string> args = [commandName, .. CliTable.RequiredOptionsBesides(command, option)];
        args.Add(option.Name);
        if (option.Values != OptionValues.None)
        {
            args.Add("value-of" + option.Name);
        }

        ParsedCommandLine line = CommandLineParser.Parse(CliSyntax.Commands, args);

        Assert.Empty(line.Errors);
        Assert.Same(command, line.Command);
        Assert.True(line.Has(option));
        AssertValues(option, line, "value-of" + option.Name);
    }

    [Theory]
    [MemberData(nameof(CommandValueOptions))]
    public void Parse_EachValueOptionWrittenWithEquals_ReadsItsValue(string commandName, string optionName)
    {
        (CliCommand command, CliOption option) = CliTable.Find(commandName, optionName);

        // The value may itself hold '=' and start with '-': everything after the first '=' is the value.
        ParsedCommandLine line = CommandLineParser.Parse(CliSyntax.Commands, [commandName, .. CliTable.RequiredOptionsBesides(command, option), $"{option.Name}=-a=b"]);

        Assert.Empty(line.Errors);
        AssertValues(option, line, "-a=b");
    }

    [Theory]
    [MemberData(nameof(CommandOptionalOptions))]
    public void Parse_EachOptionNotGiven_HasItsDefault(string commandName, string optionName)
    {
        (CliCommand command, CliOption option) = CliTable.Find(commandName, optionName);

        ParsedCommandLine line = CommandLineParser.Parse(CliSyntax.Commands, [commandName, .. CliTable.RequiredOptionsBesides(command, option)]);

        Assert.Empty(line.Errors);
        Assert.False(line.Has(option));
        Assert.Equal(option.DefaultValue, line.Value(option));
        Assert.Empty(line.Values(option));
    }

    [Fact]
    public void Parse_RepeatedOptions_KeepEveryValueInOrder()
    {
        ParsedCommandLine line = CommandLineParser.Parse(
            CliSyntax.Commands,
            ["isolate", "--collector", "192.0.2.10", "--allow-peer", "198.51.100.0/24", "--collector", "[2001:db8::10]:443", "--dns-server", "192.0.2.53", "--allow-peer", "patch.example.com", "--dns-server", "2001:db8::53"]);

        Assert.Empty(line.Errors);
        Assert.Equal(["192.0.2.10", "[2001:db8::10]:443"], line.Values(CliOptions.Collector));
        Assert.Equal(["198.51.100.0/24", "patch.example.com"], line.Values(CliOptions.AllowPeer));
        Assert.Equal(["192.0.2.53", "2001:db8::53"], line.Values(CliOptions.DnsServer));
    }

    [Fact]
    public void Parse_ValueStartingWithDash_IsTheOptionsValue()
    {
        ParsedCommandLine line = CommandLineParser.Parse(CliSyntax.Commands, ["status", "--netns-pid", "-5", "--table", "--json"]);

        Assert.Empty(line.Errors);
        Assert.Equal("-5", line.Value(CliOptions.NetnsPid));
        Assert.Equal("--json", line.Value(CliOptions.Table));
        Assert.False(line.Has(CliOptions.Json));
    }

    [Theory]
    [InlineData("-v|status")]
    [InlineData("--verbose|status")]
    [InlineData("status|-v")]
    [InlineData("status|--verbose")]
    [InlineData("-v|status|-v")]
    public void Parse_VerboseBeforeOrAfterTheCommand_IsVerbose(string commandLine)
    {
        ParsedCommandLine line = CommandLineParser.Parse(CliSyntax.Commands, commandLine.Split('|'));

        Assert.Empty(line.Errors);
        Assert.Equal("status", line.Command?.Name);
        Assert.True(line.Verbose);
    }

    [Theory]
    [InlineData("--help", null)]
    [InlineData("-h", null)]
    [InlineData("-?", null)]
    [InlineData("isolate|--help", "isolate")]
    [InlineData("--help|guard", "guard")]
    [InlineData("show|-h", "show")]
    [InlineData("restore|-?", "restore")]
    public void Parse_HelpInAnySpelling_IsHelpForTheCommandNamed(string commandLine, string? command)
    {
        ParsedCommandLine line = CommandLineParser.Parse(CliSyntax.Commands, commandLine.Split('|'));

        Assert.True(line.HelpRequested);
        Assert.Equal(command, line.Command?.Name);
    }

    [Fact]
    public void Parse_VersionAlone_IsTheVersionWithoutErrors()
    {
        ParsedCommandLine line = CommandLineParser.Parse(CliSyntax.Commands, ["--version"]);

        Assert.True(line.VersionRequested);
        Assert.Null(line.Command);
        Assert.Empty(line.Errors);
    }

    [Fact]
    public void Parse_JsonOnACommandThatHasIt_WantsJson()
    {
        ParsedCommandLine line = CommandLineParser.Parse(CliSyntax.Commands, ["status", "--json"]);

        Assert.True(line.WantsJson);
    }

    [Fact]
    public void Options_EveryOptionThatTakesAValue_NamesItsValueForHelpAndErrors()
    {
        foreach (CliCommand command in CliSyntax.Commands)
        {
            foreach (CliOption option in command.Options)
            {
                Assert.True(
                    (option.Values == OptionValues.None) == (option.ValueName is null),
                    $"{command.Name} {option.Name}: a value name exactly when the option takes a value");
            }
        }
    }

    [Fact]
    public void Commands_EveryCommand_ListsEachOptionOnce()
    {
        foreach (CliCommand command in CliSyntax.Commands)
        {
            Assert.Equal(command.Options.Count, command.Options.Distinct().Count());
        }
    }

    private static void AssertValues(CliOption option, ParsedCommandLine line, string value)
    {
        switch (option.Values)
        {
            case OptionValues.None:
                Assert.Empty(line.Values(option));
                break;
            case OptionValues.One:
                Assert.Equal(value, line.Value(option));
                break;
            default:
                Assert.Equal([value], line.Values(option));
                break;
        }
    }
}
