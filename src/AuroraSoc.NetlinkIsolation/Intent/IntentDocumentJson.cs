using System.Buffers;
using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Json;
using static AuroraSoc.NetlinkIsolation.Json.JsonFieldReader;

namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>
/// The JSON of an <see cref="IntentDocument"/> (intent file format version <see cref="IntentDocument.CurrentVersion"/>),
/// written with <see cref="Utf8JsonWriter"/> and read with <see cref="Utf8JsonReader"/> by hand. Not the source-generated
/// serializer: its metadata and the serializer engine it pulls in were a sixth of the NativeAOT CLI, which pays for every
/// page it maps on each start (docs/benchmarks.md, "Cold start").
/// </summary>
/// <remarks>
/// The bytes are those the serializer wrote (camelCase names in declaration order, two-space indentation, null written
/// for an absent reason or namespace, the default encoder's escapes), so files of earlier releases read and a guard of
/// another release reads ours. Reading is as strict as the serializer was and stricter where it was silent: a missing
/// or mistyped field, a null where a value is required and a field given twice are refused, naming the field; fields
/// this release does not know are skipped, so a later release can add some.
/// </remarks>
internal static class IntentDocumentJson
{
    private static readonly JsonWriterOptions FileWriterOptions = new() { Indented = true };

    /// <summary>The intent file's bytes.</summary>
    public static byte[] ToUtf8Bytes(IntentDocument document)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, FileWriterOptions))
        {
            Write(writer, document);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an intent file: one JSON object, read by <see cref="Read"/>.</summary>
    /// <exception cref="JsonException">The bytes are not JSON.</exception>
    /// <exception cref="FormatException">The JSON is not an intent of this format version; the message names the field.</exception>
    public static IntentDocument Parse(ReadOnlySpan<byte> utf8) => JsonFieldReader.ReadDocument(utf8, Read);

    /// <summary>Writes <paramref name="document"/> as one JSON object (also the <c>intent</c> of a guard hand-over request).</summary>
    public static void Write(Utf8JsonWriter writer, IntentDocument document)
    {
        writer.WriteStartObject();
        writer.WriteNumber("version"u8, document.Version);
        writer.WriteString("target"u8, document.Target);
        writer.WriteString("table"u8, document.Table);
        writer.WritePropertyName("policy"u8);
        WritePolicy(writer, document.Policy);
        writer.WriteStartObject("resolvedNames"u8);
        foreach ((string name, List<string> addresses) in document.ResolvedNames)
        {
            writer.WritePropertyName(name);
            WriteStrings(writer, addresses);
        }

        writer.WriteEndObject();
        WriteStringOrNull(writer, "reason"u8, document.Reason);
        writer.WriteString("isolatedAt"u8, document.IsolatedAt);
        writer.WriteStartObject("isolatedBy"u8);
        writer.WriteNumber("uid"u8, document.IsolatedBy.Uid);
        writer.WriteString("userName"u8, document.IsolatedBy.UserName);
        writer.WriteNumber("pid"u8, document.IsolatedBy.Pid);
        writer.WriteEndObject();
        if (document.Namespace is { } identity)
        {
            writer.WriteStartObject("namespace"u8);
            writer.WriteString("bootId"u8, identity.BootId);
            writer.WriteNumber("inode"u8, identity.Inode);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("namespace"u8);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads one intent object (an intent file, or the <c>intent</c> of a guard hand-over request); <paramref name="reader"/>
    /// is on its <see cref="JsonTokenType.StartObject"/> and ends on its end. The <c>version</c> is checked before anything
    /// else, so an intent of another format version is named as such rather than as one with odd fields.
    /// </summary>
    /// <exception cref="FormatException">Another format version, or a field is missing, mistyped or given twice; the message names it.</exception>
    public static IntentDocument Read(ref Utf8JsonReader reader)
    {
        var fields = new JsonObjectFields(ref reader, string.Empty);
        int formatVersion = FormatVersion(reader);
        if (formatVersion > IntentDocument.CurrentVersion)
        {
            // Written by a newer release: named, and left exactly as it is (nothing here rewrites a file it cannot read).
            throw new FormatException($"format version {formatVersion} is newer than this program reads (1 to {IntentDocument.CurrentVersion}); upgrade aurorasoc-isolate — the file is left as it is");
        }

        if (formatVersion < IntentDocument.OldestVersion)
        {
            throw new FormatException($"format version {formatVersion}; this program reads versions {IntentDocument.OldestVersion} to {IntentDocument.CurrentVersion}");
        }

        int? version = null;
        string? target = null;
        string? table = null;
        IntentPolicyDocument? policy = null;
        Dictionary<string, List<string>>? resolvedNames = null;
        string? reason = null;
        string? isolatedAt = null;
        IntentActorDocument? isolatedBy = null;
        IntentNamespaceDocument? identity = null;
        while (fields.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "version": version = ReadInt32(ref reader, name); break;
                case "target": target = ReadString(ref reader, name); break;
                case "table": table = ReadString(ref reader, name); break;
                case "policy": policy = ReadPolicy(ref reader); break;
                case "resolvedNames": resolvedNames = ReadResolvedNames(ref reader); break;
                case "reason": reason = reader.TokenType == JsonTokenType.Null ? null : ReadString(ref reader, name); break;
                case "isolatedAt": isolatedAt = ReadString(ref reader, name); break;
                case "isolatedBy": isolatedBy = ReadActor(ref reader); break;
                case "namespace": identity = reader.TokenType == JsonTokenType.Null ? null : ReadNamespace(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        return new IntentDocument
        {
            Version = version ?? throw Missing("version"),
            Target = target ?? throw Missing("target"),
            Table = table ?? throw Missing("table"),
            Policy = policy ?? throw Missing("policy"),
            ResolvedNames = resolvedNames ?? throw Missing("resolvedNames"),
            Reason = reason,
            IsolatedAt = isolatedAt ?? throw Missing("isolatedAt"),
            IsolatedBy = isolatedBy ?? throw Missing("isolatedBy"),
            Namespace = identity,
        };
    }

    private static void WritePolicy(Utf8JsonWriter writer, IntentPolicyDocument policy)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("collectors"u8);
        WriteStrings(writer, policy.Collectors);
        writer.WritePropertyName("allowedPeers"u8);
        WriteStrings(writer, policy.AllowedPeers);
        writer.WriteString("dns"u8, policy.Dns);
        writer.WritePropertyName("dnsServers"u8);
        WriteStrings(writer, policy.DnsServers);
        writer.WriteBoolean("allowDhcp"u8, policy.AllowDhcp);
        writer.WriteString("mode"u8, policy.Mode);
        writer.WriteBoolean("blockForwarding"u8, policy.BlockForwarding);
        writer.WriteBoolean("rejectTcp"u8, policy.RejectTcp);
        writer.WriteString("table"u8, policy.Table);
        if (policy.AgentIdentities is { } agents)
        {
            IntentAgentJson.Write(writer, agents);
        }

        if (policy.PeerRanges is { } peerRanges)
        {
            writer.WritePropertyName("peerRanges"u8);
            WriteStrings(writer, peerRanges);
        }

        if (policy.RecordBlocked)
        {
            writer.WriteBoolean("recordBlocked"u8, true);
        }

        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, List<string> values)
    {
        writer.WriteStartArray();
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>The top-level <c>version</c>, read ahead on a copy of the reader (a struct) without moving it.</summary>
    private static int FormatVersion(Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isVersion = reader.ValueTextEquals("version"u8);
            reader.Read();
            if (isVersion)
            {
                return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int version)
                    ? version
                    : throw new FormatException("no format version");
            }

            reader.Skip();
        }

        throw new FormatException("no format version");
    }

    private static IntentPolicyDocument ReadPolicy(ref Utf8JsonReader reader)
    {
        List<string>? collectors = null;
        List<string>? allowedPeers = null;
        string? dns = null;
        List<string>? dnsServers = null;
        bool? allowDhcp = null;
        string? mode = null;
        bool? blockForwarding = null;
        bool? rejectTcp = null;
        string? table = null;
        List<IntentAgentDocument>? agents = null;
        List<string>? peerRanges = null;
        bool recordBlocked = false;
        var fields = new JsonObjectFields(ref reader, "policy");
        while (fields.Next(ref reader, out string name))
        {
            string path = "policy." + name;
            switch (name)
            {
                case "collectors": collectors = ReadStrings(ref reader, path); break;
                case "allowedPeers": allowedPeers = ReadStrings(ref reader, path); break;
                case "dns": dns = ReadString(ref reader, path); break;
                case "dnsServers": dnsServers = ReadStrings(ref reader, path); break;
                case "allowDhcp": allowDhcp = ReadBoolean(ref reader, path); break;
                case "mode": mode = ReadString(ref reader, path); break;
                case "blockForwarding": blockForwarding = ReadBoolean(ref reader, path); break;
                case "rejectTcp": rejectTcp = ReadBoolean(ref reader, path); break;
                case "table": table = ReadString(ref reader, path); break;
                case "agentIdentities": agents = IntentAgentJson.Read(ref reader, path); break;
                case "peerRanges": peerRanges = ReadStrings(ref reader, path); break;
                case "recordBlocked": recordBlocked = ReadBoolean(ref reader, path); break;
                default: reader.Skip(); break;
            }
        }

        return new IntentPolicyDocument
        {
            Collectors = collectors ?? throw Missing("policy.collectors"),
            AllowedPeers = allowedPeers ?? throw Missing("policy.allowedPeers"),
            Dns = dns ?? throw Missing("policy.dns"),
            DnsServers = dnsServers ?? throw Missing("policy.dnsServers"),
            AllowDhcp = allowDhcp ?? throw Missing("policy.allowDhcp"),
            Mode = mode ?? throw Missing("policy.mode"),
            BlockForwarding = blockForwarding ?? throw Missing("policy.blockForwarding"),
            RejectTcp = rejectTcp ?? throw Missing("policy.rejectTcp"),
            Table = table ?? throw Missing("policy.table"),
            AgentIdentities = agents,
            PeerRanges = peerRanges,
            RecordBlocked = recordBlocked,
        };
    }

    private static Dictionary<string, List<string>> ReadResolvedNames(ref Utf8JsonReader reader)
    {
        var resolved = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var fields = new JsonObjectFields(ref reader, "resolvedNames");
        while (fields.Next(ref reader, out string name))
        {
            resolved[name] = ReadStrings(ref reader, "resolvedNames." + name);
        }

        return resolved;
    }

    private static IntentActorDocument ReadActor(ref Utf8JsonReader reader)
    {
        int? uid = null;
        string? userName = null;
        int? pid = null;
        var fields = new JsonObjectFields(ref reader, "isolatedBy");
        while (fields.Next(ref reader, out string name))
        {
            string path = "isolatedBy." + name;
            switch (name)
            {
                case "uid": uid = ReadInt32(ref reader, path); break;
                case "userName": userName = ReadString(ref reader, path); break;
                case "pid": pid = ReadInt32(ref reader, path); break;
                default: reader.Skip(); break;
            }
        }

        return new IntentActorDocument
        {
            Uid = uid ?? throw Missing("isolatedBy.uid"),
            UserName = userName ?? throw Missing("isolatedBy.userName"),
            Pid = pid ?? throw Missing("isolatedBy.pid"),
        };
    }

    private static IntentNamespaceDocument ReadNamespace(ref Utf8JsonReader reader)
    {
        string? bootId = null;
        ulong? inode = null;
        var fields = new JsonObjectFields(ref reader, "namespace");
        while (fields.Next(ref reader, out string name))
        {
            string path = "namespace." + name;
            switch (name)
            {
                case "bootId": bootId = ReadString(ref reader, path); break;
                case "inode": inode = reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out ulong value) ? value : throw Mistyped(path, "a whole number from 0 to 18446744073709551615"); break;
                default: reader.Skip(); break;
            }
        }

        return new IntentNamespaceDocument
        {
            BootId = bootId ?? throw Missing("namespace.bootId"),
            Inode = inode ?? throw Missing("namespace.inode"),
        };
    }
}
