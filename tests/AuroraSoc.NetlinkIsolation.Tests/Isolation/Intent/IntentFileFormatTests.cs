using System.Runtime.Versioning;
using System.Text;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation.Intent;

/// <summary>
/// Format version 1 of the intent file, byte for byte: files written by earlier releases must still read, and a guard
/// of another release reads ours. The sample is the file the library wrote with its first (serializer-generated)
/// writer for <see cref="SampleIntent"/>, escapes included.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class IntentFileFormatTests : IDisposable
{
    private const string Target = "/proc/4242/ns/net";

    private const string Sample = """
        {
          "version": 1,
          "target": "/proc/4242/ns/net",
          "table": "custom_tbl-1",
          "policy": {
            "collectors": [
              "192.0.2.10:6514",
              "[2001:db8::10]:443"
            ],
            "allowedPeers": [
              "198.51.100.0/24",
              "2001:db8:1::/64"
            ],
            "dns": "listed",
            "dnsServers": [
              "192.0.2.53",
              "2001:db8::53"
            ],
            "allowDhcp": true,
            "mode": "strict",
            "blockForwarding": false,
            "rejectTcp": false,
            "table": "custom_tbl-1"
          },
          "resolvedNames": {
            "edr.example.com": [
              "192.0.2.10",
              "2001:db8::10"
            ]
          },
          "reason": "INC-1234 \u003CVorfall \u00C4\u003E \u0026 more",
          "isolatedAt": "2026-01-02T01:04:05.123Z",
          "isolatedBy": {
            "uid": 0,
            "userName": "root",
            "pid": 4242
          },
          "namespace": {
            "bootId": "0f1e2d3c-boot",
            "inode": 4026532999
          }
        }
        """;

    private const string HostSample = """
        {
          "version": 1,
          "target": "host",
          "table": "aurorasoc",
          "policy": {
            "collectors": [
              "192.0.2.10"
            ],
            "allowedPeers": [],
            "dns": "off",
            "dnsServers": [],
            "allowDhcp": false,
            "mode": "keep",
            "blockForwarding": true,
            "rejectTcp": true,
            "table": "aurorasoc"
          },
          "resolvedNames": {},
          "reason": null,
          "isolatedAt": "2026-01-02T01:04:05Z",
          "isolatedBy": {
            "uid": 1000,
            "userName": "soc",
            "pid": 7
          },
          "namespace": null
        }
        """;

    private readonly TemporaryStateDirectory _state = new();
    private readonly IntentStore _store;

    public IntentFileFormatTests() => _store = new IntentStore(_state.Path);

    public void Dispose() => _state.Dispose();

    private static IsolationIntent SampleIntent()
    {
        IsolationPolicy policy = IntentStoreTests.EveryInputPolicy();
        return new IsolationIntent(
            Target,
            policy.TableName,
            policy,
            new Dictionary<string, IReadOnlyList<string>> { ["edr.example.com"] = ["192.0.2.10", "2001:db8::10"] },
            "INC-1234 <Vorfall Ä> & more",
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, 123, TimeSpan.FromHours(2)),
            new IsolationActor(0, "root", 4242))
        {
            Namespace = new NamespaceIdentity("0f1e2d3c-boot", 4026532999),
        };
    }

    private static IsolationIntent HostIntent() => new(
        IsolationIntent.HostTarget,
        "aurorasoc",
        new IsolationPolicy([Endpoint.Parse("192.0.2.10")]),
        new Dictionary<string, IReadOnlyList<string>>(),
        null,
        new DateTimeOffset(2026, 1, 2, 1, 4, 5, TimeSpan.Zero),
        new IsolationActor(1000, "soc", 7));

    [Fact]
    public void Record_EveryField_WritesTheSampleAsVersion2()
    {
        _store.Record(SampleIntent());

        Assert.Equal(AsVersion2(Sample), Encoding.UTF8.GetString(File.ReadAllBytes(_store.PathFor(Target, "custom_tbl-1"))));
    }

    [Fact]
    public void Record_NoReasonNoNamespace_WritesNullsAndEmptyCollections()
    {
        _store.Record(HostIntent());

        Assert.Equal(AsVersion2(HostSample), Encoding.UTF8.GetString(File.ReadAllBytes(_store.PathFor(IsolationIntent.HostTarget, "aurorasoc"))));
    }

    /// <summary>Versions 2 and 3 only added a target form (<c>net:[INODE]</c>) and optional fields: a version-1 file's fields are written alike.</summary>
    private static string AsVersion2(string version1) => version1.Replace("\"version\": 1,", $"\"version\": {IntentDocument.CurrentVersion},", StringComparison.Ordinal);

    [Fact]
    public void Read_Version1Sample_EveryFieldAsWritten()
    {
        Directory.CreateDirectory(_state.Path);
        File.WriteAllText(_store.PathFor(Target, "custom_tbl-1"), Sample);

        IsolationIntent intent = _store.Read(Target, "custom_tbl-1")!;

        IsolationIntent expected = SampleIntent();
        Assert.Equal(expected.Target, intent.Target);
        Assert.Equal(expected.Table, intent.Table);
        Assert.Equal(expected.Reason, intent.Reason);
        Assert.Equal(expected.IsolatedAt, intent.IsolatedAt);
        Assert.Equal(expected.IsolatedBy, intent.IsolatedBy);
        Assert.Equal(expected.Namespace, intent.Namespace);
        Assert.Equal(["edr.example.com"], intent.ResolvedNames.Keys);
        Assert.Equal(["192.0.2.10", "2001:db8::10"], intent.ResolvedNames["edr.example.com"]);
        Assert.Equal(expected.Policy.Collectors, intent.Policy.Collectors);
        Assert.Equal(expected.Policy.AllowedPeers, intent.Policy.AllowedPeers);
        Assert.Equal(expected.Policy.Dns, intent.Policy.Dns);
        Assert.Equal(expected.Policy.DnsResolvers, intent.Policy.DnsResolvers);
        Assert.True(intent.Policy.AllowDhcp);
        Assert.Equal(IsolationMode.Strict, intent.Policy.Mode);
        Assert.False(intent.Policy.BlockForwarding);
        Assert.False(intent.Policy.RejectTcp);
    }

    [Fact]
    public void Read_HostSample_NoReasonNoNamespace()
    {
        Directory.CreateDirectory(_state.Path);
        File.WriteAllText(_store.PathFor(IsolationIntent.HostTarget, "aurorasoc"), HostSample);

        IsolationIntent intent = _store.Read(IsolationIntent.HostTarget, "aurorasoc")!;

        Assert.Null(intent.Reason);
        Assert.Null(intent.Namespace);
        Assert.Empty(intent.ResolvedNames);
        Assert.Empty(intent.Policy.AllowedPeers);
        Assert.Equal(new IsolationActor(1000, "soc", 7), intent.IsolatedBy);
    }

    [Fact]
    public void Read_UnknownFieldsOfALaterRelease_Ignored()
    {
        Directory.CreateDirectory(_state.Path);
        string withExtras = Sample
            .Replace("\"version\": 1,", "\"version\": 1, \"comment\": {\"nested\": [1, {\"x\": null}]},", StringComparison.Ordinal)
            .Replace("\"mode\": \"strict\",", "\"mode\": \"strict\", \"future\": [true],", StringComparison.Ordinal);
        File.WriteAllText(_store.PathFor(Target, "custom_tbl-1"), withExtras);

        Assert.Equal("custom_tbl-1", _store.Read(Target, "custom_tbl-1")!.Policy.TableName);
    }

    [Theory]
    [InlineData("\"version\": 1,", "\"version\": \"1\",", "no format version")]
    [InlineData("\"version\": 1,", "\"version\": 1.5,", "no format version")]
    [InlineData("\"version\": 1,", "", "no format version")]
    [InlineData("\"target\": \"/proc/4242/ns/net\",", "", "target")]
    [InlineData("\"target\": \"/proc/4242/ns/net\",", "\"target\": null,", "target")]
    [InlineData("\"target\": \"/proc/4242/ns/net\",", "\"target\": 7,", "target")]
    [InlineData("\"allowDhcp\": true,", "\"allowDhcp\": \"yes\",", "allowDhcp")]
    [InlineData("\"allowDhcp\": true,", "", "allowDhcp")]
    [InlineData("\"dns\": \"listed\",", "\"dns\": \"sometimes\",", "policy.dns")]
    [InlineData("\"mode\": \"strict\",", "\"mode\": \"loose\",", "policy.mode")]
    [InlineData("\"192.0.2.53\",", "null,", "dnsServers")]
    [InlineData("\"inode\": 4026532999", "\"inode\": -1", "inode")]
    [InlineData("\"uid\": 0,", "\"uid\": 4294967296,", "uid")]
    [InlineData("\"isolatedAt\": \"2026-01-02T01:04:05.123Z\",", "\"isolatedAt\": \"yesterday\",", "isolatedAt")]
    [InlineData("\"edr.example.com\": [", "\"edr.example.com\": 7, \"x\": [", "resolvedNames")]
    [InlineData("\"policy\": {", "\"policy\": [], \"p\": {", "policy")]
    [InlineData("\"table\": \"custom_tbl-1\",", "\"table\": \"custom_tbl-1\", \"table\": \"other\",", "table")]
    [InlineData("\"uid\": 0,", "\"uid\": 0, // root\n", "invalid JSON")]
    [InlineData("\"rejectTcp\": false,", "\"rejectTcp\": false,,", "invalid JSON")]
    public void Read_FieldMissingOrMistyped_CorruptNamingTheField(string field, string replacement, string named)
    {
        Directory.CreateDirectory(_state.Path);
        string path = _store.PathFor(Target, "custom_tbl-1");
        Assert.Contains(field, Sample, StringComparison.Ordinal);
        File.WriteAllText(path, Sample.Replace(field, replacement, StringComparison.Ordinal));

        IntentCorruptException exception = Assert.Throws<IntentCorruptException>(() => _store.Read(Target, "custom_tbl-1"));

        Assert.Equal(path, exception.FilePath);
        Assert.Contains(named, exception.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"version\"")]
    [InlineData("{} {}")]
    [InlineData("{\"version\": 1}")]
    [InlineData("{\"version\": 1")]
    [InlineData("\uFEFF[1]")]
    public void Read_NotAnIntentObject_Corrupt(string content)
    {
        Directory.CreateDirectory(_state.Path);
        string path = _store.PathFor(Target, "custom_tbl-1");
        File.WriteAllText(path, content);

        IntentCorruptException exception = Assert.Throws<IntentCorruptException>(() => _store.Read(Target, "custom_tbl-1"));

        Assert.Equal(path, exception.FilePath);
    }

    [Fact]
    public void Record_ThenRead_ReadsBackWhatItWrote()
    {
        _store.Record(SampleIntent());
        IsolationIntent first = _store.Read(Target, "custom_tbl-1")!;
        byte[] written = File.ReadAllBytes(_store.PathFor(Target, "custom_tbl-1"));

        _store.Record(first);

        Assert.Equal(written, File.ReadAllBytes(_store.PathFor(Target, "custom_tbl-1")));
    }

    [Fact]
    public void Record_RecordBlocked_WritesVersion3FieldAndReadsItBack()
    {
        IsolationPolicy policy = new([Endpoint.Parse("192.0.2.10")]) { RecordBlocked = true };
        _store.Record(IsolationIntent.Create(null, policy));
        string target = IsolationIntent.TargetOf(null);

        Assert.Contains("\"recordBlocked\": true", Encoding.UTF8.GetString(File.ReadAllBytes(_store.PathFor(target, "aurorasoc"))), StringComparison.Ordinal);
        Assert.True(_store.Read(target, "aurorasoc")!.Policy.RecordBlocked);
    }

    [Fact]
    public void Record_RecordBlockedWithAllowlistAgentAndAnotherReason_KeepsAllThreeThroughTheReasonRebuild()
    {
        IsolationPolicy policy = new IsolationPolicy([Endpoint.Parse("192.0.2.10")]) { RecordBlocked = true }
            .WithAllowedPeersFrom(new StringReader("10.0.0.0/24\n10.0.2.1-10.0.2.9\n"), "list")
            .WithAgentIdentities([AgentIdentity.Resolve("user", "0")]);
        _store.Record(IsolationIntent.Create(null, policy, reason: "another reason"));

        IsolationPolicy read = _store.Read(IsolationIntent.TargetOf(null), "aurorasoc")!.Policy;

        Assert.True(read.RecordBlocked);
        Assert.Equal("another reason", read.Reason);
        Assert.Equal(policy.PeerCount, read.PeerCount);
        Assert.Single(read.AgentIdentities);
    }

    [Fact]
    public void Read_Version1Sample_DoesNotRecordBlocked()
    {
        Directory.CreateDirectory(_store.Directory);
        File.WriteAllText(_store.PathFor(Target, "custom_tbl-1"), Sample);

        Assert.False(_store.Read(Target, "custom_tbl-1")!.Policy.RecordBlocked);
    }
}
