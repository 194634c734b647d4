using System.Net;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation.Intent;

[SupportedOSPlatform("linux")]
public sealed class IntentStoreTests : IDisposable
{
    private const string Namespace = "/run/netns/intent-test";
    private readonly TemporaryStateDirectory _state = new();
    private readonly IntentStore _store;

    public IntentStoreTests() => _store = new IntentStore(_state.Path);

    public void Dispose() => _state.Dispose();

    /// <summary>Every policy input away from its default.</summary>
    internal static IsolationPolicy EveryInputPolicy() => new(
        collectors: [Endpoint.Parse("192.0.2.10:6514"), Endpoint.Parse("[2001:db8::10]:443")],
        allowedPeers: [Endpoint.Parse("198.51.100.0/24"), Endpoint.Parse("2001:db8:1::/64")],
        dns: DnsPolicy.ListedResolvers,
        dnsResolvers: [IPAddress.Parse("192.0.2.53"), IPAddress.Parse("2001:db8::53")],
        allowDhcp: true,
        mode: IsolationMode.Strict,
        blockForwarding: false,
        rejectTcp: false,
        tableName: "custom_tbl-1");

    private static IsolationIntent IntentFor(string target, IsolationPolicy policy, string? reason = null) => new(
        target,
        policy.TableName,
        policy,
        new Dictionary<string, IReadOnlyList<string>> { ["edr.example.com"] = ["192.0.2.10", "2001:db8::10"] },
        reason,
        new DateTimeOffset(2026, 1, 2, 3, 4, 5, 123, TimeSpan.FromHours(2)),
        new IsolationActor(0, "root", 4242));

    private static IsolationPolicy SimplePolicy(string collector = "192.0.2.10") => new([Endpoint.Parse(collector)]);

    [Fact]
    public void Record_EveryPolicyInput_ReadBackUnchanged()
    {
        _store.Record(IntentFor(Namespace, EveryInputPolicy(), "INC-1234"));

        IsolationIntent intent = _store.Read(Namespace, "custom_tbl-1")!;

        Assert.Equal(Namespace, intent.Target);
        Assert.Equal("custom_tbl-1", intent.Table);
        Assert.Equal("INC-1234", intent.Reason);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 1, 4, 5, 123, TimeSpan.Zero), intent.IsolatedAt);
        Assert.Equal(new IsolationActor(0, "root", 4242), intent.IsolatedBy);
        Assert.Equal(["192.0.2.10", "2001:db8::10"], intent.ResolvedNames["edr.example.com"]);
        IsolationPolicy policy = intent.Policy;
        Assert.Equal(["192.0.2.10:6514", "[2001:db8::10]:443"], policy.Collectors.Select(e => e.ToString()));
        Assert.Equal(["198.51.100.0/24", "2001:db8:1::/64"], policy.AllowedPeers.Select(e => e.ToString()));
        Assert.Equal(DnsPolicy.ListedResolvers, policy.Dns);
        Assert.Equal(["192.0.2.53", "2001:db8::53"], policy.DnsResolvers.Select(a => a.ToString()));
        Assert.True(policy.AllowDhcp);
        Assert.Equal(IsolationMode.Strict, policy.Mode);
        Assert.False(policy.BlockForwarding);
        Assert.False(policy.RejectTcp);
        Assert.Equal("custom_tbl-1", policy.TableName);
    }

    [Fact]
    public void Record_ProcTargetWithNamespaceIdentity_ReadBackUnchanged()
    {
        IsolationIntent intent = IntentFor("/proc/4242/ns/net", SimplePolicy()) with { Namespace = new NamespaceIdentity("0f1e2d3c-boot", 4026532999) };
        _store.Record(intent);

        Assert.Equal(new NamespaceIdentity("0f1e2d3c-boot", 4026532999), _store.Read("/proc/4242/ns/net", "aurorasoc")!.Namespace);
        Assert.Null(IntentFor(Namespace, SimplePolicy()).Namespace);
    }

    [Fact]
    public void Create_ProcTargetOfThisProcess_RecordsThisBootAndNamespace()
    {
        string self = $"/proc/{Environment.ProcessId}/ns/net";

        IsolationIntent intent = IsolationIntent.Create(self, SimplePolicy());

        Assert.Equal(File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(), intent.Namespace!.BootId);
        Assert.Equal($"net:[{intent.Namespace.Inode}]", new FileInfo(self).LinkTarget);
        Assert.Null(IsolationIntent.Create("/run/netns/x", SimplePolicy()).Namespace);
    }

    [Fact]
    public void Record_File_HoldsVersionTargetTablePolicyAndUtcTime()
    {
        IsolationIntent intent = IntentFor(IsolationIntent.HostTarget, SimplePolicy());
        _store.Record(intent);

        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(_store.PathFor("host", "aurorasoc")));
        JsonElement root = document.RootElement;

        Assert.Equal(IntentDocument.CurrentVersion, root.GetProperty("version").GetInt32());
        Assert.Equal("host", root.GetProperty("target").GetString());
        Assert.Equal("aurorasoc", root.GetProperty("table").GetString());
        Assert.Equal("2026-01-02T01:04:05.123Z", root.GetProperty("isolatedAt").GetString());
        Assert.Equal("192.0.2.10", root.GetProperty("policy").GetProperty("collectors")[0].GetString());
        Assert.Equal("off", root.GetProperty("policy").GetProperty("dns").GetString());
        Assert.Equal("keep", root.GetProperty("policy").GetProperty("mode").GetString());
        Assert.Equal(4242, root.GetProperty("isolatedBy").GetProperty("pid").GetInt32());
        Assert.Equal("root", root.GetProperty("isolatedBy").GetProperty("userName").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("reason").ValueKind);
    }

    [Fact]
    public void Record_NewDirectory_Directory0700File0600()
    {
        _store.Record(IntentFor(Namespace, SimplePolicy()));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_state.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_store.PathFor(Namespace, "aurorasoc")));
    }

    [Fact]
    public void Record_Replacing_LeavesOnlyTheNewIntentAndNoTemporaryFile()
    {
        _store.Record(IntentFor(Namespace, SimplePolicy("192.0.2.10")));
        _store.Record(IntentFor(Namespace, SimplePolicy("192.0.2.99")));

        Assert.Equal("192.0.2.99", _store.Read(Namespace, "aurorasoc")!.Policy.Collectors[0].ToString());
        Assert.Equal([Path.GetFileName(_store.PathFor(Namespace, "aurorasoc"))], Directory.GetFiles(_state.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Record_WhileAnotherReaderReads_ReaderSeesOnlyWholeIntents()
    {
        // A write in place (truncate, then write) would let the reader see an empty or half file; rename never does.
        IsolationIntent small = IntentFor(Namespace, SimplePolicy("192.0.2.10"));
        IsolationIntent large = IntentFor(Namespace, EveryInputPolicy()) with { Table = "aurorasoc", Policy = new IsolationPolicy(EveryInputPolicy().Collectors, EveryInputPolicy().AllowedPeers, tableName: "aurorasoc") };
        _store.Record(small);
        using var stop = new CancellationTokenSource();
        Task writer = Task.Run(() =>
        {
            for (int i = 0; i < 300; i++)
            {
                _store.Record(i % 2 == 0 ? large : small);
            }

            stop.Cancel();
        }, TestContext.Current.CancellationToken);

        var reader = new IntentStore(_state.Path);
        int reads = 0;
        while (!stop.IsCancellationRequested || reads == 0)
        {
            IsolationIntent? read = reader.Read(Namespace, "aurorasoc");
            Assert.NotNull(read);
            Assert.Contains(read.Policy.Collectors.Count, new[] { 1, 2 });
            reads++;
        }

        await writer;
    }

    [Fact]
    public void Record_FileNameTakenByADirectory_ThrowsAndLeavesNoTemporaryFile()
    {
        Directory.CreateDirectory(_store.PathFor(Namespace, "aurorasoc"));

        IntentStoreException exception = Assert.Throws<IntentStoreException>(() => _store.Record(IntentFor(Namespace, SimplePolicy())));

        Assert.Contains(_store.PathFor(Namespace, "aurorasoc"), exception.Message, StringComparison.Ordinal);
        Assert.Single(Directory.GetFileSystemEntries(_state.Path));
    }

    [Fact]
    public void Read_NothingRecorded_Null()
    {
        Assert.Null(_store.Read(Namespace, "aurorasoc"));
        Assert.Empty(_store.ReadAll());
    }

    [Fact]
    public void Read_NewerFormatVersion_CorruptNamingFileAndVersionAndLeftAsItIs()
    {
        _store.Record(IntentFor(Namespace, SimplePolicy()));
        string path = _store.PathFor(Namespace, "aurorasoc");
        string newer = File.ReadAllText(path).Replace($"\"version\": {IntentDocument.CurrentVersion}", $"\"version\": {IntentDocument.CurrentVersion + 1}", StringComparison.Ordinal);
        File.WriteAllText(path, newer);

        IntentCorruptException exception = Assert.Throws<IntentCorruptException>(() => _store.Read(Namespace, "aurorasoc"));

        Assert.Equal(path, exception.FilePath);
        Assert.Contains($"format version {IntentDocument.CurrentVersion + 1} is newer than this program reads", exception.Message, StringComparison.Ordinal);
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
        Assert.Equal(newer, File.ReadAllText(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"version\": 1, \"target\": \"/run/netns/intent-test\"")]
    [InlineData("[1, 2]")]
    [InlineData("{\"target\": \"/run/netns/intent-test\"}")]
    [InlineData("{\"version\": 1, \"target\": \"/run/netns/intent-test\", \"table\": \"aurorasoc\"}")]
    public void Read_NotAnIntent_CorruptNamingFile(string content)
    {
        string path = _store.PathFor(Namespace, "aurorasoc");
        Directory.CreateDirectory(_state.Path);
        File.WriteAllText(path, content);

        IntentCorruptException exception = Assert.Throws<IntentCorruptException>(() => _store.Read(Namespace, "aurorasoc"));

        Assert.Equal(path, exception.FilePath);
    }

    [Fact]
    public void Read_PolicyTheLibraryRefuses_CorruptNamingTheField()
    {
        _store.Record(IntentFor(Namespace, SimplePolicy()));
        string path = _store.PathFor(Namespace, "aurorasoc");
        File.WriteAllText(path, File.ReadAllText(path).Replace("192.0.2.10", "127.0.0.1", StringComparison.Ordinal));

        IntentCorruptException exception = Assert.Throws<IntentCorruptException>(() => _store.Read(Namespace, "aurorasoc"));

        Assert.Contains("loopback", exception.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FileCopiedUnderAnotherTargetsName_Corrupt()
    {
        _store.Record(IntentFor(Namespace, SimplePolicy()));
        string elsewhere = _store.PathFor("/run/netns/other", "aurorasoc");
        File.Copy(_store.PathFor(Namespace, "aurorasoc"), elsewhere);

        IntentCorruptException exception = Assert.Throws<IntentCorruptException>(() => _store.Read("/run/netns/other", "aurorasoc"));

        Assert.Equal(elsewhere, exception.FilePath);
        Assert.Contains("belongs in", exception.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAll_OneCorruptAmongValid_CorruptListedWithErrorValidReadable()
    {
        _store.Record(IntentFor(Namespace, SimplePolicy()));
        _store.Record(IntentFor(IsolationIntent.HostTarget, SimplePolicy()));
        string corrupt = Path.Combine(_state.Path, "aurorasoc.broken.0000000000000000.json");
        File.WriteAllText(corrupt, "{ not json");

        IReadOnlyList<IntentEntry> entries = _store.ReadAll();

        Assert.Equal(3, entries.Count);
        IntentEntry broken = Assert.Single(entries, e => e.FilePath == corrupt);
        Assert.Null(broken.Intent);
        Assert.Contains(corrupt, broken.Error, StringComparison.Ordinal);
        Assert.Equal(
            [Namespace, IsolationIntent.HostTarget],
            entries.Where(e => e.Intent is not null).Select(e => e.Intent!.Target).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Forget_Recorded_TrueAndGone()
    {
        _store.Record(IntentFor(Namespace, SimplePolicy()));

        Assert.True(_store.Forget(Namespace, "aurorasoc"));

        Assert.Null(_store.Read(Namespace, "aurorasoc"));
        Assert.False(File.Exists(_store.PathFor(Namespace, "aurorasoc")));
    }

    [Fact]
    public void Forget_NothingRecorded_False()
    {
        Assert.False(_store.Forget(Namespace, "aurorasoc"));
    }

    [Fact]
    public void PathFor_TargetsWithTheSameSlug_DifferentFiles()
    {
        string a = _store.PathFor("/run/netns/a-b", "aurorasoc");
        string b = _store.PathFor("/run/netns/a_b", "aurorasoc");
        string c = _store.PathFor("/run/netns/a-b", "other");

        Assert.Equal(3, new[] { a, b, c }.Distinct().Count());
        Assert.All([a, b, c], p => Assert.Equal(_state.Path, Path.GetDirectoryName(p)));
        Assert.StartsWith("aurorasoc._run_netns_a-b.", Path.GetFileName(a), StringComparison.Ordinal);
    }

    [Fact]
    public void AcquireLock_NewDirectory_CreatedWithMode0700()
    {
        using IntentLock held = _store.AcquireLock();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_state.Path));
        Assert.Equal(Path.Combine(_state.Path, "lock"), held.FilePath);
    }

    [Fact]
    public void AcquireLock_DirectoryWritableByOthers_RefusedNamingTheFix()
    {
        Directory.CreateDirectory(_state.Path);
        File.SetUnixFileMode(_state.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);

        IntentStoreException exception = Assert.Throws<IntentStoreException>(() => _store.AcquireLock());

        Assert.Contains("chmod 700", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AcquireLock_HeldByAnotherStoreInstance_WaitsUntilReleased()
    {
        var other = new IntentStore(_state.Path);
        IntentLock first = _store.AcquireLock();
        using var secondAcquired = new ManualResetEventSlim();
        var second = new Thread(() =>
        {
            using IntentLock _ = other.AcquireLock();
            secondAcquired.Set();
        });
        second.Start();

        // Only a lock that excludes can keep the second waiter out; a broken one lets it through at once.
        Assert.False(secondAcquired.Wait(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken));
        first.Dispose();
        Assert.True(secondAcquired.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        second.Join();
    }

    [Fact]
    public void ReleaseLock_TemporaryFileOfACrashedWriter_Removed()
    {
        Directory.CreateDirectory(_state.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string stale = Path.Combine(_state.Path, ".aurorasoc.host.0123456789abcdef.json.tmp-2147483647-abc"); // no such pid
        File.WriteAllText(stale, "{\"version\": 1");

        using (_store.AcquireLock())
        {
            // Kept while the holder works (its commit comes first), never read as an intent.
            Assert.True(File.Exists(stale));
            Assert.Empty(_store.ReadAll());
        }

        Assert.False(File.Exists(stale));
    }

    [Fact]
    public void ReleaseLock_TemporaryFileOfALiveWriter_Kept()
    {
        Directory.CreateDirectory(_state.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string writing = Path.Combine(_state.Path, $".aurorasoc.host.0123456789abcdef.json.tmp-{Environment.ProcessId}-abc");
        File.WriteAllText(writing, "{\"version\": 1");

        using (_store.AcquireLock())
        {
        }

        Assert.True(File.Exists(writing));
    }

    [Fact]
    public void IsolationIntent_RelativeTarget_Refused()
    {
        Assert.Throws<ArgumentException>(() => IntentFor("run/netns/x", SimplePolicy()));
    }

    [Fact]
    public void IsolationIntent_TableOtherThanPolicys_Refused()
    {
        IsolationPolicy policy = SimplePolicy();

        Assert.Throws<ArgumentException>(() => new IsolationIntent("host", "other", policy, new Dictionary<string, IReadOnlyList<string>>(), null, DateTimeOffset.UtcNow, IsolationActor.Current));
    }

    [Fact]
    public void Create_NetnsPath_TargetIsAbsolutePathAndActorIsThisProcess()
    {
        IsolationIntent intent = IsolationIntent.Create("/proc/1/ns/net", SimplePolicy(), "why");

        Assert.Equal("/proc/1/ns/net", intent.Target);
        Assert.Equal("/proc/1/ns/net", intent.NamespacePath);
        Assert.Equal(Environment.ProcessId, intent.IsolatedBy.ProcessId);
        Assert.Equal(Environment.UserName, intent.IsolatedBy.UserName);
        Assert.Equal(IsolationIntent.HostTarget, IsolationIntent.Create(null, SimplePolicy()).Target);
        Assert.Null(IsolationIntent.Create(null, SimplePolicy()).NamespacePath);
    }

    [Fact]
    public void Record_NonAsciiReason_RoundTrips()
    {
        const string reason = "Vorfall Ä-17 — containment";
        _store.Record(IntentFor(Namespace, SimplePolicy(), reason));

        Assert.Equal(reason, _store.Read(Namespace, "aurorasoc")!.Reason);
        Assert.Contains("Vorfall", Encoding.UTF8.GetString(File.ReadAllBytes(_store.PathFor(Namespace, "aurorasoc"))), StringComparison.Ordinal);
    }
}
