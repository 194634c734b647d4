using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Json;
using static AuroraSoc.NetlinkIsolation.Json.JsonFieldReader;

namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>The <c>policy.agentIdentities</c> array of an intent (format 3), written and read by hand as the rest of the file.</summary>
internal static class IntentAgentJson
{
    public static void Write(Utf8JsonWriter writer, List<IntentAgentDocument> agents)
    {
        writer.WriteStartArray("agentIdentities"u8);
        foreach (IntentAgentDocument agent in agents)
        {
            writer.WriteStartObject();
            writer.WriteString("kind"u8, agent.Kind);
            writer.WriteString("value"u8, agent.Value);
            if (agent.Path is { } path)
            {
                writer.WriteString("path"u8, path);
            }

            writer.WriteNumber("id"u8, agent.Id);
            writer.WriteNumber("level"u8, agent.Level);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static List<IntentAgentDocument> Read(ref Utf8JsonReader reader, string path)
        => ReadArray(ref reader, path, "an array of agent identities", ReadOne);

    private static IntentAgentDocument ReadOne(ref Utf8JsonReader reader, string path)
    {
        string? kind = null;
        string? value = null;
        string? cgroupPath = null;
        ulong? id = null;
        int level = 0;
        var fields = new JsonObjectFields(ref reader, path);
        while (fields.Next(ref reader, out string name))
        {
            string field = path + "." + name;
            switch (name)
            {
                case "kind": kind = ReadString(ref reader, field); break;
                case "value": value = ReadString(ref reader, field); break;
                case "path": cgroupPath = ReadString(ref reader, field); break;
                case "id": id = reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out ulong number) ? number : throw Mistyped(field, "a whole number from 0 to 18446744073709551615"); break;
                case "level": level = ReadInt32(ref reader, field); break;
                default: reader.Skip(); break;
            }
        }

        return new IntentAgentDocument
        {
            Kind = kind ?? throw Missing(path + ".kind"),
            Value = value ?? throw Missing(path + ".value"),
            Path = cgroupPath,
            Id = id ?? throw Missing(path + ".id"),
            Level = level,
        };
    }
}
