using System.Buffers;
using System.Text;
using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Handoff;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Testing.Policies;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation.Guard;

/// <summary>
/// Reading the hand-over messages forward-only: every message kind reads back what its writer wrote, property order
/// does not matter, fields of a later release are skipped, and what cannot be read is refused naming the field.
/// </summary>
public sealed class GuardMessagesTests
{
    /// <summary>A valid intent (format version 1) as a hand-written object, its fields out of the writer's order.</summary>
    private const string Intent = """
        {"namespace": null, "isolatedBy": {"pid": 7, "userName": "soc", "uid": 1000}, "isolatedAt": "2026-01-02T01:04:05.123Z",
         "resolvedNames": {"edr.example.com": ["192.0.2.10"]}, "reason": "INC-7",
         "policy": {"table": "aurorasoc", "rejectTcp": false, "blockForwarding": true, "mode": "strict", "allowDhcp": false,
                    "dnsServers": [], "dns": "off", "allowedPeers": [], "collectors": ["192.0.2.10:6514"]},
         "table": "aurorasoc", "target": "/run/netns/tenant7", "version": 1}
        """;

    [Fact]
    public void Read_IsolateRequestWritten_WritesBackTheSameBytes()
    {
        IsolationIntent intent = IsolationIntent.Create(
            "/run/netns/tenant7",
            ContractPolicies.Example(),
            reason: "INC-42 <Vorfall Ä>",
            resolvedNames: new Dictionary<string, IReadOnlyList<string>> { ["edr.example.com"] = ["192.0.2.10", "2001:db8::10"] });
        var request = new GuardRequest
        {
            Version = GuardOperations.ProtocolVersion,
            Operation = GuardOperations.Isolate,
            Intent = intent,
            Options = new IsolateOptions { VerifyCollectors = true, VerifyTimeout = TimeSpan.FromMilliseconds(2500), CutOpenConnections = false },
        };
        byte[] written = Written(request.WriteTo);

        GuardRequest read = GuardRequest.Read(written);

        Assert.Equal((GuardOperations.Isolate, "INC-42 <Vorfall Ä>"), (read.Operation, read.Intent!.Reason));
        Assert.Equal(Encoding.UTF8.GetString(written), Encoding.UTF8.GetString(Written(read.WriteTo)));
    }

    [Theory]
    [InlineData(GuardOperations.Unisolate, "/run/netns/tenant7", "aurorasoc")]
    [InlineData(GuardOperations.Restore, null, null)]
    public void Read_RequestWithoutIntentWritten_ReadsBackOperationTargetAndTable(string operation, string? target, string? table)
    {
        byte[] written = Written(new GuardRequest { Version = GuardOperations.ProtocolVersion, Operation = operation, Target = target, Table = table }.WriteTo);

        GuardRequest read = GuardRequest.Read(written);

        Assert.Equal((GuardOperations.ProtocolVersion, operation, target, table, (IsolationIntent?)null, (IsolateOptions?)null), (read.Version, read.Operation, read.Target, read.Table, read.Intent, read.Options));
        Assert.Equal(written, Written(read.WriteTo));
    }

    [Fact]
    public void Read_IsolatedResponseWritten_WritesBackTheSameBytes()
    {
        var response = new GuardResponse
        {
            Version = GuardOperations.ProtocolVersion,
            Ok = true,
            Isolated = new IsolationResult("aurorasoc", 18, 3, 2048, 5_000_000_000)
            {
                Verified = [new CollectorCheck(Endpoint.Parse("192.0.2.10:6514"), true, 3, null), new CollectorCheck(Endpoint.Parse("[2001:db8::10]:6514"), false, 5000, "timed out")],
                SessionsCut = new SessionCutResult(7, 2, "SOCK_DESTROY is not supported"),
            },
        };
        byte[] written = Written(response.WriteTo);

        GuardResponse read = GuardResponse.Read(written);

        Assert.Equal(5_000_000_000, read.Isolated!.Value.ElapsedMicroseconds);
        Assert.Equal(Encoding.UTF8.GetString(written), Encoding.UTF8.GetString(Written(read.WriteTo)));
    }

    [Fact]
    public void Read_RestoredResponseWritten_WritesBackTheSameBytes()
    {
        var response = new GuardResponse
        {
            Version = GuardOperations.ProtocolVersion,
            Ok = true,
            Restored =
            [
                new RestoreResult("/run/netns/a", "aurorasoc", RestoreOutcome.Restored, null, "/var/lib/x/a.json"),
                new RestoreResult("/run/netns/b", null, RestoreOutcome.Failed, "EPERM", "/var/lib/x/b.json"),
            ],
        };
        byte[] written = Written(response.WriteTo);

        GuardResponse read = GuardResponse.Read(written);

        Assert.Equal(response.Restored, read.Restored);
        Assert.Equal(Encoding.UTF8.GetString(written), Encoding.UTF8.GetString(Written(read.WriteTo)));
    }

    [Fact]
    public void Read_ErrorResponseWithEveryField_WritesBackTheSameBytes()
    {
        var response = new GuardResponse
        {
            Version = GuardOperations.ProtocolVersion,
            Ok = false,
            Error = new GuardErrorReply
            {
                Type = GuardErrorTypes.Isolation,
                Message = "isolate failed",
                Operation = nameof(IsolationOperation.Isolate),
                Kind = nameof(IsolationErrorKind.KernelRejected),
                Errno = 22,
                StateAfter = nameof(IsolationState.NotIsolated),
                KernelMessage = "bad",
                FailingMessageType = "NFT_MSG_NEWRULE",
                FailingMessageIndex = 5,
                FailingAttribute = "NFTA_RULE_EXPRESSIONS/[1] cmp",
                Path = "/var/lib/x/a.json",
                Field = "collector",
                Value = "x",
                Reason = "why",
                RolledBack = true,
                CollectorChecks = [new CollectorCheck(Endpoint.Parse("192.0.2.10:6514"), false, 1, "connection refused")],
            },
        };
        byte[] written = Written(response.WriteTo);

        GuardResponse read = GuardResponse.Read(written);

        Assert.Equal((false, 22, 5, true), (read.Ok, read.Error!.Errno, read.Error.FailingMessageIndex, read.Error.RolledBack));
        Assert.Equal(Encoding.UTF8.GetString(written), Encoding.UTF8.GetString(Written(read.WriteTo)));
    }

    [Fact]
    public void Read_RequestPropertiesInAnotherOrder_SameRequest()
    {
        GuardRequest read = GuardRequest.Read(Encoding.UTF8.GetBytes(
            "{\"options\": {\"cutOpenConnections\": true, \"verifyTimeoutMilliseconds\": 1500, \"verifyCollectors\": true}, \"intent\": " + Intent + ", \"operation\": \"isolate\", \"version\": 4}"));

        Assert.Equal((4, "isolate"), (read.Version, read.Operation));
        Assert.Equal(("/run/netns/tenant7", "aurorasoc", "INC-7", new IsolationActor(1000, "soc", 7)), (read.Intent!.Target, read.Intent.Table, read.Intent.Reason, read.Intent.IsolatedBy));
        Assert.Equal(["192.0.2.10"], read.Intent.ResolvedNames["edr.example.com"]);
        Assert.Equal((true, TimeSpan.FromMilliseconds(1500), true), (read.Options!.VerifyCollectors, read.Options.VerifyTimeout, read.Options.CutOpenConnections));
    }

    [Fact]
    public void Read_ResponsePropertiesInAnotherOrder_SameResponse()
    {
        GuardResponse read = GuardResponse.Read("""
            {"isolated": {"sessionsCut": {"warning": "w", "destroyed": 2, "examined": 7}, "verified": [{"error": "e", "milliseconds": 9, "ok": false, "endpoint": "192.0.2.10:6514"}],
                          "elapsedMicroseconds": 311, "batchBytes": 2048, "chains": 3, "rules": 18, "table": "aurorasoc"},
             "ok": true, "version": 4}
            """u8);

        IsolationResult isolated = read.Isolated!.Value;
        Assert.Equal((4, true), (read.Version, read.Ok));
        Assert.Equal(("aurorasoc", 18, 3, 2048, 311L), (isolated.TableName, isolated.RuleCount, isolated.ChainCount, isolated.BatchBytes, isolated.ElapsedMicroseconds));
        Assert.Equal([new CollectorCheck(Endpoint.Parse("192.0.2.10:6514"), false, 9, "e")], isolated.Verified);
        Assert.Equal(new SessionCutResult(7, 2, "w"), isolated.SessionsCut);
    }

    [Fact]
    public void Read_RequestWithUnknownScalarObjectAndArrayProperties_Skipped()
    {
        GuardRequest read = GuardRequest.Read("""
            {"future": 1, "version": 4, "nested": {"a": [1, {"b": null}], "c": {}}, "operation": "unisolate", "list": [{"x": []}, "y", [[]]],
             "options": {"later": {"z": [true]}, "verifyCollectors": true, "more": [1, 2]}, "target": "/run/netns/t", "table": "aurorasoc", "tail": "s"}
            """u8);

        Assert.Equal((GuardOperations.Unisolate, "/run/netns/t", "aurorasoc", true), (read.Operation, read.Target, read.Table, read.Options!.VerifyCollectors));
    }

    [Fact]
    public void Read_ResponseWithUnknownScalarObjectAndArrayProperties_Skipped()
    {
        GuardResponse read = GuardResponse.Read("""
            {"version": 4, "extra": {"o": {"p": [{}]}}, "ok": false, "list": [1, [2], {"q": 3}],
             "restored": [{"target": "/run/netns/a", "x": {"y": []}, "outcome": "Restored", "z": [0], "filePath": "/f", "n": 1.5}],
             "error": {"type": "intent-store", "later": {"a": {}}, "message": "m", "arr": [[], {}], "path": "/f", "collectorChecks": [{"endpoint": "192.0.2.10:6514", "new": {"k": [1]}}]}}
            """u8);

        Assert.Equal([new RestoreResult("/run/netns/a", null, RestoreOutcome.Restored, null, "/f")], read.Restored);
        Assert.Equal((GuardErrorTypes.IntentStore, "m", "/f"), (read.Error!.Type, read.Error.Message, read.Error.Path));
        Assert.Equal([new CollectorCheck(Endpoint.Parse("192.0.2.10:6514"), false, 0, null)], read.Error.CollectorChecks);
    }

    [Fact]
    public void Read_ErrorReplyWithOnlyItsTypeAndMessageMissing_DefaultsOfAnUnexplainedProtocolFailure()
    {
        GuardErrorReply error = GuardResponse.Read("""{"version": 4, "ok": false, "error": {}}"""u8).Error!;

        Assert.Equal((GuardErrorTypes.Protocol, "the guard failed without saying why", 0, -1, false, null), (error.Type, error.Message, error.Errno, error.FailingMessageIndex, error.RolledBack, error.Kind));
        Assert.Empty(error.CollectorChecks);
    }

    [Fact]
    public void Read_OptionsObjectEmpty_OptionsOfFalseAndZero()
    {
        IsolateOptions options = GuardRequest.Read("""{"version": 4, "operation": "restore", "options": {}}"""u8).Options!;

        Assert.Equal((false, TimeSpan.Zero, false), (options.VerifyCollectors, options.VerifyTimeout, options.CutOpenConnections));
    }

    [Fact]
    public void Read_RequestOfAnotherVersionWithMistypedFields_OnlyVersionAndOperationRead()
    {
        GuardRequest read = GuardRequest.Read("""{"options": 5, "intent": [], "version": 5, "target": {"new": true}, "operation": "isolate"}"""u8);

        Assert.Equal((5, "isolate", (IsolationIntent?)null, (IsolateOptions?)null, (string?)null), (read.Version, read.Operation, read.Intent, read.Options, read.Target));
    }

    [Theory]
    [InlineData("""{"version": 4}""", "field operation is missing")]
    [InlineData("""{"version": 5}""", "field operation is missing")]
    [InlineData("""{"version": 4, "operation": "isolate", "intent": {"version": 1, "target": "/run/netns/t"}}""", "field table is missing")]
    [InlineData("""{"version": 4, "operation": "isolate", "intent": {"target": "/run/netns/t"}}""", "no format version")]
    public void Read_RequestMissingARequiredField_FormatExceptionNamingTheField(string json, string message)
    {
        FormatException exception = Assert.Throws<FormatException>(() => GuardRequest.Read(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"isolated": {"sessionsCut": {}}}""", "field isolated.table is missing")]
    [InlineData("""{"isolated": {"table": "aurorasoc"}}""", "field isolated.sessionsCut is missing")]
    [InlineData("""{"isolated": {"table": "t", "sessionsCut": {}, "verified": [{"ok": true}]}}""", "field isolated.verified[0].endpoint is missing")]
    [InlineData("""{"restored": [{"target": "/run/netns/a"}, {"outcome": "Failed"}]}""", "field restored[1].target is missing")]
    [InlineData("""{"error": {"collectorChecks": [{}]}}""", "field error.collectorChecks[0].endpoint is missing")]
    public void Read_ResponseMissingARequiredField_FormatExceptionNamingTheField(string json, string message)
    {
        FormatException exception = Assert.Throws<FormatException>(() => GuardResponse.Read(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"version": "2", "operation": "restore"}""", "field version must be")]
    [InlineData("""{"version": 3.5, "operation": "restore"}""", "field version must be")]
    [InlineData("""{"version": 4, "operation": 1}""", "field operation must be a string")]
    [InlineData("""{"version": 4, "operation": "unisolate", "target": 7}""", "field target must be a string")]
    [InlineData("""{"version": 4, "operation": "unisolate", "table": null}""", "field table must be a string")]
    [InlineData("""{"version": 4, "operation": "isolate", "intent": "x"}""", "field intent must be an object")]
    [InlineData("""{"version": 4, "operation": "isolate", "options": []}""", "field options must be an object")]
    [InlineData("""{"version": 4, "operation": "isolate", "options": {"verifyCollectors": "yes"}}""", "field options.verifyCollectors must be true or false")]
    [InlineData("""{"version": 4, "operation": "isolate", "options": {"verifyTimeoutMilliseconds": 1e400}}""", "field options.verifyTimeoutMilliseconds must be")]
    public void Read_RequestFieldOfTheWrongType_FormatExceptionNamingTheField(string json, string message)
    {
        FormatException exception = Assert.Throws<FormatException>(() => GuardRequest.Read(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"ok": 1}""", "field ok must be true or false")]
    [InlineData("""{"isolated": []}""", "field isolated must be an object")]
    [InlineData("""{"isolated": {"table": "t", "rules": 2147483648, "sessionsCut": {}}}""", "field isolated.rules must be")]
    [InlineData("""{"isolated": {"table": "t", "sessionsCut": {"warning": 1}}}""", "field isolated.sessionsCut.warning must be a string")]
    [InlineData("""{"isolated": {"table": "t", "sessionsCut": {}, "verified": {}}}""", "field isolated.verified must be an array")]
    [InlineData("""{"restored": {}}""", "field restored must be an array")]
    [InlineData("""{"restored": ["a"]}""", "field restored[0] must be an object")]
    [InlineData("""{"error": {"errno": "22"}}""", "field error.errno must be")]
    [InlineData("""{"error": {"collectorChecks": [{"endpoint": "192.0.2.10:6514", "milliseconds": "3"}]}}""", "field error.collectorChecks[0].milliseconds must be")]
    public void Read_ResponseFieldOfTheWrongType_FormatExceptionNamingTheField(string json, string message)
    {
        FormatException exception = Assert.Throws<FormatException>(() => GuardResponse.Read(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"version": 4, "operation": "restore", "operation": "restore"}""", "field operation is given twice")]
    [InlineData("""[]""", "not a JSON object")]
    [InlineData("""  "restore" """, "not a JSON object")]
    public void Read_RequestNotOneObjectOfDistinctFields_FormatException(string json, string message)
    {
        FormatException exception = Assert.Throws<FormatException>(() => GuardRequest.Read(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"version": 4, "operation": "restore" """)]
    [InlineData("""{"version": 4, "operation": "restore",}""")]
    [InlineData("""{"version": 4, /* two */ "operation": "restore"}""")]
    [InlineData("""{"version": 4, "operation": "restore"} {}""")]
    [InlineData("""{version: 2, "operation": "restore"}""")]
    [InlineData("""{"version": 4, "operation": "restore", "later": [1, }""")]
    [InlineData("")]
    public void Read_RequestNotJson_JsonException(string json)
        => Assert.ThrowsAny<JsonException>(() => GuardRequest.Read(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"version": 4, "ok": true, "isolated": {"table": "t", "sessionsCut": {}}""")]
    [InlineData("""{"version": 4, "ok": tru}""")]
    [InlineData("""{"version": 4, "ok": false, "error": {"message": "m\x"}}""")]
    public void Read_ResponseNotJson_JsonException(string json)
        => Assert.ThrowsAny<JsonException>(() => GuardResponse.Read(Encoding.UTF8.GetBytes(json)));

    private static byte[] Written(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
