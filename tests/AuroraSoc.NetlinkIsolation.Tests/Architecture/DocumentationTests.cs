using System.Text.RegularExpressions;

namespace AuroraSoc.NetlinkIsolation.Tests.Architecture;

/// <summary>
/// The repository explains itself: every relative link in README.md and docs/ reaches a file of the repository (and a
/// heading of it, for an anchor), and nothing under README.md, docs, src, tests, native-interop, benchmarks or .ci
/// points outside the repository — to the shared spec or research folders, or to a tracker issue of this project by
/// number. Upstream citations (<c>owner/repo#N</c>) are fine. This file is exempt: its samples must name what it forbids.
/// </summary>
public partial class DocumentationTests
{
    private const string OwnFile = "tests/AuroraSoc.NetlinkIsolation.Tests/Architecture/DocumentationTests.cs";

    private static readonly string[] CheckedPaths = ["README.md", "docs", "src", "tests", "native-interop", "benchmarks", ".ci"];

    [Fact]
    public void FindBroken_ReadmeAndDocs_AllLinksResolve()
    {
        List<string> markdown = MarkdownFiles();
        Assert.Contains("README.md", markdown);
        Assert.Contains("docs/cli.md", markdown);
        Assert.Contains("docs/guard.md", markdown);

        var broken = new List<string>();
        foreach (string file in markdown)
        {
            broken.AddRange(MarkdownLinks.FindBroken(file, RepositoryFiles.ReadText(file)!, RepositoryFiles.ReadText, RepositoryFiles.IsDirectory));
        }

        Assert.True(broken.Count == 0, "broken links:\n" + string.Join('\n', broken));
    }

    [Theory]
    [InlineData("README.md", "docs/cli.md")]
    [InlineData("README.md", "docs/guard.md")]
    [InlineData("docs/architecture.md", "cli.md")]
    [InlineData("docs/architecture.md", "guard.md")]
    public void Targets_EntryDocument_LinksTheCommandLineAndGuardDocs(string document, string target)
    {
        string text = RepositoryFiles.ReadText(document)!;

        Assert.Contains(MarkdownLinks.Targets(text), link => link.Target.Split('#')[0] == target);
    }

    [Fact]
    public void FindOutsideReferences_TrackedFiles_FindNothing()
    {
        List<string> files = RepositoryFiles.Under(CheckedPaths);
        Assert.Contains(OwnFile, files); // the exemption names this very file
        Assert.Contains("docs/guard.md", files);

        var found = new List<string>();
        foreach (string file in files)
        {
            string text = RepositoryFiles.ReadText(file)!;
            if (file == OwnFile || text.Contains('\0', StringComparison.Ordinal))
            {
                continue; // binary test vectors name nothing
            }

            foreach ((int line, string reference) in FindOutsideReferences(text))
            {
                found.Add($"{file}:{line}: {reference}");
            }
        }

        Assert.True(found.Count == 0, "references outside the repository (cite the doc, ADR, header or RFC instead):\n" + string.Join('\n', found));
    }

    [Fact]
    public void FindBroken_SampleWithMissingFileAndAnchor_ReportsEach()
    {
        var files = new Dictionary<string, string>
        {
            ["docs/a.md"] = "# A\n\nSee [b](b.md), [gone](gone.md), [no such part](b.md#nowhere),\n[a part](b.md#part-two) and ![a picture](../img/x.png).\n",
            ["docs/b.md"] = "# B\n\n## Part two\n",
        };

        List<string> broken = MarkdownLinks.FindBroken("docs/a.md", files["docs/a.md"], files.GetValueOrDefault, _ => false);

        Assert.Equal(3, broken.Count);
        Assert.Contains(broken, line => line.StartsWith("docs/a.md:3: (gone.md)", StringComparison.Ordinal) && line.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(broken, line => line.StartsWith("docs/a.md:3: (b.md#nowhere)", StringComparison.Ordinal) && line.Contains("no heading", StringComparison.Ordinal));
        Assert.Contains(broken, line => line.StartsWith("docs/a.md:4: (../img/x.png)", StringComparison.Ordinal));
    }

    [Fact]
    public void FindBroken_SampleWithValidLinks_ReportsNothing()
    {
        const string Readme = """
            # Title

            [cli](docs/cli.md#json-output), [same file](#title), [folder](docs), [web](https://example.com/x.md),
            [mail](mailto:soc@example.com), [spaced](<docs/cli.md>), [reference][ref] and [code `x`](docs/cli.md "title").

            ```sh
            [inside a fence](not-a-link.md)
            ```

            and `[in a code span](not-a-link.md)`.

            [ref]: docs/cli.md#options-1
            """;
        var files = new Dictionary<string, string>
        {
            ["README.md"] = Readme,
            ["docs/cli.md"] = "# CLI\n\n## JSON output\n\n## Options\n\nOptions\n-------\n",
        };

        List<string> broken = MarkdownLinks.FindBroken("README.md", Readme, files.GetValueOrDefault, path => path == "docs");

        Assert.Empty(broken);
    }

    [Fact]
    public void FindBroken_LinkAboveTheRepository_ReportsIt()
    {
        const string Text = "See [the spec](../../outside/cli.md).\n";

        List<string> broken = MarkdownLinks.FindBroken("docs/a.md", Text, _ => "# Outside\n", _ => true);

        Assert.Equal(["docs/a.md:1: (../../outside/cli.md) points outside the repository"], broken);
    }

    [Theory]
    [InlineData("Guard: exposure window", "guard-exposure-window")]
    [InlineData("Reason (`--reason`)", "reason---reason")]
    [InlineData("`--verify-collector`, `--verify-timeout`", "--verify-collector---verify-timeout")]
    [InlineData("Probe: 7.7–10.7 µs (target ≤ 10 µs)", "probe-77107-µs-target--10-µs")]
    [InlineData("See [the ADR](adr/0001.md) now", "see-the-adr-now")]
    [InlineData("snake_case and UPPER", "snake_case-and-upper")]
    public void Slug_Heading_FollowsGitHubRules(string heading, string expected)
        => Assert.Equal(expected, MarkdownLinks.Slug(heading));

    [Fact]
    public void Anchors_RepeatedHeadingsAndHtmlAnchor_AreAllListed()
    {
        const string Text = "# Same\n\n## Same\n\nSame\n====\n\n<a id=\"kept\"></a>\n\n```\n# Not a heading\n```\n";

        HashSet<string> anchors = MarkdownLinks.Anchors(Text);

        Assert.Equal(["kept", "same", "same-1", "same-2"], anchors.Order(StringComparer.Ordinal));
    }

    // The samples are split where a repository-wide grep for tracker references would otherwise list this file.
    [Theory]
    [InlineData("see iss" + "ue 7, part 3")]
    [InlineData("/// Iss" + "ue #8: the guard")]
    [InlineData("public void Handoff_Issue8_Refused()")]
    [InlineData("fixed by iss" + "ues 12 and 13")]
    [InlineData("the spec is ../sha" + "red/spec/cli.md")]
    [InlineData("as sha" + "red/research/netlink-pitfalls.md says")]
    [InlineData("style: shared/style.md")]
    public void FindOutsideReferences_SampleWithOutsidePointer_FindsIt(string line)
        => Assert.Single(FindOutsideReferences("first line\n" + line + "\n"), found => found.Line == 2);

    [Theory]
    [InlineData("as in google/nftables#242")]
    [InlineData("scar tissue 5 times")]
    [InlineData("the issue this fixes")]
    [InlineData("<root>/shared/Microsoft.NETCore.App/10.0.0/")]
    [InlineData("docs/guard.md, \"Hand-over\"")]
    public void FindOutsideReferences_SampleWithoutOutsidePointer_FindsNothing(string line)
        => Assert.Empty(FindOutsideReferences(line));

    /// <summary>Each pointer outside the repository in <paramref name="text"/>, with its 1-based line.</summary>
    private static List<(int Line, string Reference)> FindOutsideReferences(string text)
    {
        var found = new List<(int Line, string Reference)>();
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            foreach (Match match in OutsideReference().Matches(lines[i]))
            {
                found.Add((i + 1, match.Value));
            }
        }

        return found;
    }

    private static List<string> MarkdownFiles()
        => RepositoryFiles.Under("README.md", "docs").FindAll(static file => file.EndsWith(".md", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The shared spec, research, design and style files beside the repository, and tracker issues by number —
    /// an issue word followed by its number ("Issue #N"), a test named "…_IssueN_…" — but not a word that merely ends in "issue".
    /// </summary>
    [GeneratedRegex(@"\.\./shared\b|\bshared/(?:spec|research)\b|\bshared/(?:design|style)\.md|(?<![A-Za-z])issues?[ \t_#-]*\d+", RegexOptions.IgnoreCase)]
    private static partial Regex OutsideReference();
}
