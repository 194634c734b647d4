using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Json;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// The JSON of a <see cref="BlockedTraffic"/> (cli.md, <c>blocked --json</c>): <c>totals</c> per direction, <c>entries</c>
/// largest first, <c>truncated</c>, and <c>final</c>. The final report <c>unisolate</c> saves is the same keys plus the
/// table, read back by <see cref="ReadFinal"/>.
/// </summary>
internal static class BlockedTrafficJson
{
    /// <summary>Writes the report's keys into the object being written; at most <paramref name="top"/> entries (0: all).</summary>
    public static void WriteKeys(Utf8JsonWriter json, BlockedTraffic traffic, int top)
    {
        json.WriteStartObject("totals");
        foreach ((string direction, ulong packets, ulong bytes) in traffic.Totals)
        {
            json.WriteStartObject(direction);
            json.WriteNumber("packets", packets);
            json.WriteNumber("bytes", bytes);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteStartArray("entries");
        int count = top == 0 ? traffic.Entries.Count : Math.Min(top, traffic.Entries.Count);
        for (int i = 0; i < count; i++)
        {
            var entry = traffic.Entries[i];
            json.WriteStartObject();
            json.WriteString("direction", entry.Direction);
            json.WriteString("family", entry.Family);
            json.WriteString("protocol", entry.Protocol);
            json.WriteString("address", entry.Address);
            if (entry.Port is int port)
            {
                json.WriteNumber("port", port);
            }
            else
            {
                json.WriteNull("port");
            }

            json.WriteNumber("packets", entry.Packets);
            json.WriteNumber("bytes", entry.Bytes);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteBoolean("truncated", traffic.Truncated);
        json.WriteBoolean("final", traffic.IsFinal);
    }

    /// <summary>The final report as saved beside the intent: one object with the table and every entry.</summary>
    public static byte[] WriteFinal(BlockedTraffic traffic)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("table", traffic.Table);
            WriteKeys(json, traffic, 0);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>A saved final report; throws <see cref="FormatException"/> or <see cref="JsonException"/> when it is not one.</summary>
    public static BlockedTraffic ReadFinal(ReadOnlySpan<byte> utf8) => JsonFieldReader.ReadDocument(utf8, static (ref Utf8JsonReader reader) =>
    {
        string? table = null;
        var totals = new List<(string, ulong, ulong)>();
        var entries = new List<(string, string, string, string, int?, ulong, ulong)>();
        bool truncated = false;
        var fields = new JsonObjectFields(ref reader, string.Empty);
        while (fields.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "table": table = JsonFieldReader.ReadString(ref reader, name); break;
                case "totals":
                    var directions = new JsonObjectFields(ref reader, name);
                    while (directions.Next(ref reader, out string direction))
                    {
                        (ulong packets, ulong bytes) = ReadCount(ref reader, "totals." + direction);
                        totals.Add((direction, packets, bytes));
                    }

                    break;
                case "entries":
                    entries = JsonFieldReader.ReadArray(ref reader, name, "an array", ReadEntry);
                    break;
                case "truncated": truncated = JsonFieldReader.ReadBoolean(ref reader, name); break;
                default: reader.Skip(); break;
            }
        }

        return new BlockedTraffic(table ?? throw JsonFieldReader.Missing("table"), true, totals, BlockedTraffic.Sorted(entries), truncated) { IsFinal = true };
    });

    private static (ulong Packets, ulong Bytes) ReadCount(ref Utf8JsonReader reader, string path)
    {
        ulong packets = 0;
        ulong bytes = 0;
        var fields = new JsonObjectFields(ref reader, path);
        while (fields.Next(ref reader, out string name))
        {
            switch (name)
            {
                case "packets": packets = (ulong)JsonFieldReader.ReadInt64(ref reader, fields.PathOf(name)); break;
                case "bytes": bytes = (ulong)JsonFieldReader.ReadInt64(ref reader, fields.PathOf(name)); break;
                default: reader.Skip(); break;
            }
        }

        return (packets, bytes);
    }

    private static (string, string, string, string, int?, ulong, ulong) ReadEntry(ref Utf8JsonReader reader, string path)
    {
        string direction = string.Empty, family = string.Empty, protocol = string.Empty, address = string.Empty;
        int? port = null;
        ulong packets = 0, bytes = 0;
        var fields = new JsonObjectFields(ref reader, path);
        while (fields.Next(ref reader, out string name))
        {
            string at = fields.PathOf(name);
            switch (name)
            {
                case "direction": direction = JsonFieldReader.ReadString(ref reader, at); break;
                case "family": family = JsonFieldReader.ReadString(ref reader, at); break;
                case "protocol": protocol = JsonFieldReader.ReadString(ref reader, at); break;
                case "address": address = JsonFieldReader.ReadString(ref reader, at); break;
                case "port": port = reader.TokenType == JsonTokenType.Null ? null : JsonFieldReader.ReadInt32(ref reader, at); break;
                case "packets": packets = (ulong)JsonFieldReader.ReadInt64(ref reader, at); break;
                case "bytes": bytes = (ulong)JsonFieldReader.ReadInt64(ref reader, at); break;
                default: reader.Skip(); break;
            }
        }

        return (direction, family, protocol, address, port, packets, bytes);
    }
}
