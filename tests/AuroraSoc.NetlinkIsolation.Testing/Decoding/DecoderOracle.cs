using System.Text;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Testing.Decoding;

/// <summary>
/// Runs one input through every reader of kernel replies: the message and attribute readers (all getters, nested
/// walks), the extended-ack parser, the table/chain/rule decoders on every message, the whole-buffer decoder, and
/// the nft renderer on whatever decoded. The contract: these may throw only <see cref="NetlinkException"/> of kind
/// <see cref="NetlinkErrorKind.ProtocolViolation"/>; anything else escapes from <see cref="Exercise"/> to the caller.
/// Optionally records coarse behaviour features (outcome of each stage, rendered statement shapes) for a
/// feature-guided fuzzer. The one oracle of the decoder fuzz tests and of the fuzzing harness's reply-decoder target.
/// </summary>
public static class DecoderOracle
{
    private const int MaxMessages = 4096;
    private const ushort NewTable = 0x0a00;
    private const ushort NewChain = 0x0a03;
    private const ushort NewRule = 0x0a06;

    public static void Exercise(ReadOnlySpan<byte> input, ISet<string>? features = null)
    {
        NftTable? firstTable = null;
        var chains = new List<NftChain>();
        var rules = new List<NftRule>();

        try
        {
            var reader = new NetlinkMessageReader(input);
            int count = 0;
            while (reader.Read() && count++ < MaxMessages)
            {
                NetlinkMessage message = reader.Current;
                features?.Add($"type:{message.Type:x4}");
                ExerciseMessage(message, features, ref firstTable, chains, rules);
            }

            features?.Add("reader:ok");
        }
        catch (NetlinkException exception) when (exception.Kind == NetlinkErrorKind.ProtocolViolation)
        {
            Note(features, "reader", exception);
        }

        byte[] copy = input.ToArray();
        Stage(features, "snapshot", () =>
        {
            NftTableSnapshot snapshot = NfTablesDecoder.DecodeMessages(copy, NfProtocolFamily.Inet, "aurorasoc");
            Feature(features, "render", NftSyntaxRenderer.Render(snapshot));
        });

        if (firstTable is not null && (firstTable.Family != NfProtocolFamily.Inet || firstTable.Name != "aurorasoc"))
        {
            NftTable table = firstTable;
            Stage(features, "snapshot-named", () => NftSyntaxRenderer.Render(NfTablesDecoder.DecodeMessages(copy, table.Family, table.Name)));
        }

        // Whatever decoded, whatever its table: the renderer must print it (unknown shapes become comments).
        NftTable any = firstTable ?? new NftTable(NfProtocolFamily.Inet, "aurorasoc");
        Stage(features, "render-all", () => Feature(features, "render-all", NftSyntaxRenderer.Render(new NftTableSnapshot(any, chains, rules))));
    }

    private static void ExerciseMessage(in NetlinkMessage message, ISet<string>? features, ref NftTable? firstTable, List<NftChain> chains, List<NftRule> rules)
    {
        try
        {
            _ = message.NfFamily();
            WalkAttributes(message.NfAttributes(), 0, features);
            features?.Add("attributes:ok");
        }
        catch (NetlinkException exception) when (exception.Kind == NetlinkErrorKind.ProtocolViolation)
        {
            Note(features, "attributes", exception);
        }

        // Each decoder runs on the messages of its type, and every eighth message of another type goes through all of
        // them too (a decoder must refuse a foreign message with a protocol violation): exceptions are what cost time.
        bool all = (message.Offset & 0x1c) == 0x1c;
        ushort type = message.Type;
        if (type == (ushort)NetlinkMessageType.Error || all)
        {
            try
            {
                NetlinkErrorReply reply = NetlinkErrorReply.Parse(message);
                features?.Add($"error:{(reply.IsAcknowledgement ? "ack" : "nack")}:{reply.KernelMessage is not null}:{reply.Offset is not null}:{reply.Echoed.Length > 16}");
            }
            catch (NetlinkException exception) when (exception.Kind == NetlinkErrorKind.ProtocolViolation)
            {
                Note(features, "error", exception);
            }
        }

        if (type == NewTable || all)
        {
            try
            {
                NftTable table = NfTablesDecoder.DecodeTable(message);
                firstTable ??= table;
                features?.Add($"table:{table.Flags is not null}:{table.Handle is not null}:{table.Use is not null}");
            }
            catch (NetlinkException exception) when (exception.Kind == NetlinkErrorKind.ProtocolViolation)
            {
                Note(features, "table", exception);
            }
        }

        if (type == NewChain || all)
        {
            try
            {
                NftChain chain = NfTablesDecoder.DecodeChain(message);
                chains.Add(chain);
                features?.Add($"chain:{chain.IsBaseChain}:{chain.Policy}:{chain.Type is not null}");
            }
            catch (NetlinkException exception) when (exception.Kind == NetlinkErrorKind.ProtocolViolation)
            {
                Note(features, "chain", exception);
            }
        }

        if (type == NewRule || all)
        {
            try
            {
                NftRule rule = NfTablesDecoder.DecodeRule(message);
                rules.Add(rule);
                _ = rule.IsEquivalentTo(rule);
                foreach (var expression in rule.Expressions)
                {
                    features?.Add("expr:" + expression.Name + ":" + expression.GetType().Name);
                    _ = expression.ToString();
                }

                Feature(features, "rule", NftSyntaxRenderer.RenderRule(rule));
            }
            catch (NetlinkException exception) when (exception.Kind == NetlinkErrorKind.ProtocolViolation)
            {
                Note(features, "rule", exception);
            }
        }
    }

    private static void WalkAttributes(NetlinkAttributeReader reader, int depth, ISet<string>? features)
    {
        while (reader.Read())
        {
            _ = reader.Type;
            _ = reader.CurrentOffset;
            _ = reader.BytesConsumed;
            _ = reader.GetString();
            _ = reader.StringEquals("aurorasoc");
            switch (reader.Value.Length)
            {
                case 1:
                    _ = reader.GetByte();
                    break;
                case 4:
                    _ = reader.GetUInt32BigEndian();
                    _ = reader.GetUInt32HostOrder();
                    break;
                case 8:
                    _ = reader.GetUInt64BigEndian();
                    break;
            }

            // A getter of the wrong size must refuse with a protocol violation, never read out of range.
            try
            {
                _ = reader.Value.Length == 4 ? reader.GetUInt64BigEndian() : reader.GetUInt32BigEndian();
            }
            catch (NetlinkException exception) when (exception.Kind == NetlinkErrorKind.ProtocolViolation)
            {
            }

            // Walk into values that look nested (the flag, or a plausible first nla_len); walking every flat value
            // costs an exception each and finds nothing new.
            if (depth < 6 && reader.Value.Length >= 4 && (reader.IsNested || LooksNested(reader.Value)))
            {
                try
                {
                    WalkAttributes(reader.Nested(), depth + 1, features);
                }
                catch (NetlinkException exception) when (exception.Kind == NetlinkErrorKind.ProtocolViolation)
                {
                    // not every attribute is nested: a walk of a flat value may well find garbage
                }
            }
        }
    }

    private static bool LooksNested(ReadOnlySpan<byte> value)
    {
        int length = value[0] | value[1] << 8;
        return length >= 4 && length <= value.Length;
    }

    private static void Stage(ISet<string>? features, string stage, Action action)
    {
        try
        {
            action();
            features?.Add(stage + ":ok");
        }
        catch (NetlinkException exception) when (exception.Kind == NetlinkErrorKind.ProtocolViolation)
        {
            Note(features, stage, exception);
        }
    }

    private static void Note(ISet<string>? features, string stage, NetlinkException exception)
        => features?.Add(stage + ":P:" + Shape(exception.Message, 60));

    /// <summary>Adds a coarse feature per rendered line: statements with numbers blurred, so that new shapes count.</summary>
    private static void Feature(ISet<string>? features, string stage, string text)
    {
        if (features is null)
        {
            return;
        }

        // The first three tokens of each line, blurred: "ip saddr #.#.#.#", "# [ meta", "type filter hook" — the kind
        // of statement, not its addresses or names (those would make every input look new).
        foreach (string line in text.Split('\n'))
        {
            string[] tokens = line.Split([' ', '\t'], 4, StringSplitOptions.RemoveEmptyEntries);
            features.Add(stage + ":" + string.Join(' ', tokens.Take(3).Select(t => Shape(t, 12))));
        }
    }

    private static string Shape(string text, int max)
    {
        var shape = new StringBuilder(Math.Min(text.Length, max));
        foreach (char c in text)
        {
            if (shape.Length >= max)
            {
                break;
            }

            char blurred = char.IsAsciiDigit(c) || char.IsAsciiHexDigitUpper(c) ? '#' : c;
            if (blurred != '#' || shape.Length == 0 || shape[^1] != '#')
            {
                shape.Append(blurred);
            }
        }

        return shape.ToString();
    }
}
