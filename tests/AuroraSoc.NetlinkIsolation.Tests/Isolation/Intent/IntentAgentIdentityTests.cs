using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation.Intent;

/// <summary>
/// Intent format 3: each agent identity recorded as given and as resolved — <c>pid:PID</c> as the cgroup path it had,
/// never the pid; names with their numbers — and read back re-resolved: users and groups by their recorded numbers, a
/// cgroup by its path, id 0 when it does not exist (never the recorded id: ids start again at every boot).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class IntentAgentIdentityTests : IDisposable
{
    private const string MissingCgroup = "aurorasoc-test-never-created/agent.service";
    private readonly TemporaryStateDirectory _state = new();
    private readonly IntentStore _store;

    public IntentAgentIdentityTests() => _store = new IntentStore(_state.Path);

    public void Dispose() => _state.Dispose();

    [Fact]
    public void Record_PidCgroup_RecordsThePathNeverThePid()
    {
        _store.Record(IntentWith(AgentIdentity.Cgroup("pid:4242", 7001, 2, MissingCgroup)));

        string text = File.ReadAllText(_store.PathFor(IsolationIntent.HostTarget, "aurorasoc"));
        using JsonDocument document = JsonDocument.Parse(text);
        JsonElement agent = document.RootElement.GetProperty("policy").GetProperty("agentIdentities")[0];

        Assert.DoesNotContain("4242\"", text, StringComparison.Ordinal);
        Assert.Equal(("cgroup", MissingCgroup, MissingCgroup, 7001UL, 2), (agent.GetProperty("kind").GetString(), agent.GetProperty("value").GetString(), agent.GetProperty("path").GetString(), agent.GetProperty("id").GetUInt64(), agent.GetProperty("level").GetInt32()));
    }

    [Fact]
    public void Read_CgroupThatDoesNotExist_IsIdZeroNotTheRecordedId()
    {
        _store.Record(IntentWith(AgentIdentity.Cgroup(MissingCgroup, 7001, 2, MissingCgroup)));

        AgentIdentity read = Assert.Single(_store.Read(IsolationIntent.HostTarget, "aurorasoc")!.Policy.AgentIdentities);

        Assert.Equal(("cgroup", MissingCgroup, 0UL, 2, true), (read.Kind, read.Value, read.Id, read.CgroupLevel, read.IsUnresolvedCgroup));
    }

    [Fact]
    public void Read_UsersAndGroups_KeepTheirNamesAndRecordedNumbersInOrder()
    {
        _store.Record(IntentWith(AgentIdentity.User("aurorasoc-test-agent", 998), AgentIdentity.Group("0", 0), AgentIdentity.User("4242", 4242)));

        IReadOnlyList<AgentIdentity> read = _store.Read(IsolationIntent.HostTarget, "aurorasoc")!.Policy.AgentIdentities;

        Assert.Equal([AgentIdentity.User("aurorasoc-test-agent", 998), AgentIdentity.Group("0", 0), AgentIdentity.User("4242", 4242)], read);
    }

    [Fact]
    public void Record_NoIdentities_WritesNoAgentField()
    {
        _store.Record(IntentWith());

        string text = File.ReadAllText(_store.PathFor(IsolationIntent.HostTarget, "aurorasoc"));

        Assert.DoesNotContain("agentIdentities", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kind": "process", "value": "x", "id": 1, "level": 0}""", "kind 'process'")]
    [InlineData("""{"kind": "user", "value": "x", "id": 4294967295, "level": 0}""", "no valid number")]
    [InlineData("""{"kind": "user", "value": "x", "level": 0}""", "agentIdentities[0].id is missing")]
    [InlineData("""{"kind": "cgroup", "value": "../x", "path": "../x", "id": 1, "level": 1}""", "..")]
    public void Read_BadAgentIdentity_CorruptNamingIt(string agent, string expected)
    {
        _store.Record(IntentWith());
        string path = _store.PathFor(IsolationIntent.HostTarget, "aurorasoc");
        string text = File.ReadAllText(path).Replace("\"table\": \"aurorasoc\"\n  },", "\"table\": \"aurorasoc\",\n    \"agentIdentities\": [" + agent + "]\n  },", StringComparison.Ordinal);
        Assert.Contains("agentIdentities", text, StringComparison.Ordinal);
        File.WriteAllText(path, text, new UTF8Encoding(false));

        IntentCorruptException corrupt = Assert.Throws<IntentCorruptException>(() => _store.Read(IsolationIntent.HostTarget, "aurorasoc"));

        Assert.Contains(expected, corrupt.Message, StringComparison.Ordinal);
    }

    private static IsolationIntent IntentWith(params AgentIdentity[] agents) => new(
        IsolationIntent.HostTarget,
        "aurorasoc",
        new IsolationPolicy([Endpoint.Parse("192.0.2.10:6514")], agentIdentities: agents),
        new Dictionary<string, IReadOnlyList<string>>(),
        null,
        new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        new IsolationActor(0, "root", 4242));
}
