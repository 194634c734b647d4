using System.Buffers.Binary;

namespace AuroraSoc.NetlinkIsolation.Tests.Reliability.Fuzz;

/// <summary>
/// Produces decoder inputs from real kernel replies: bit flips, interesting bytes, truncation, nlmsg_len / nla_len
/// corruption at the real header positions, splices between seeds, chunk duplication and deletion, type changes,
/// plus wholly random buffers and random well-framed messages. Deterministic for a given <see cref="Random"/>.
/// Drives the CI property test (DecoderFuzzTests) through the public API only.
/// </summary>
public sealed class ReplyMutator
{
    private static readonly uint[] InterestingLengths = [0, 1, 2, 3, 4, 5, 8, 15, 16, 17, 19, 20, 21, 24, 36, 255, 256, 0x7fff, 0x8000, 0xfffe, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff];
    private static readonly byte[] InterestingBytes = [0, 1, 2, 3, 4, 0x0a, 0x0f, 0x10, 0x14, 0x7f, 0x80, 0xfe, 0xff];
    private static readonly ushort[] InterestingTypes = [0x0001, 0x0002, 0x0003, 0x0004, 0x0010, 0x0011, 0x0a00, 0x0a01, 0x0a03, 0x0a06, 0x0a0f, 0x0aff, 0xffff];

    private readonly List<Seed> _seeds;

    public ReplyMutator(IEnumerable<byte[]> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        _seeds = [.. seeds.Where(s => s.Length > 0).Select(s => new Seed(s, LengthFields(s)))];
        if (_seeds.Count == 0)
        {
            throw new ArgumentException("at least one non-empty seed is required", nameof(seeds));
        }
    }

    public int SeedCount => _seeds.Count;

    /// <summary>Adds an input (e.g. one that found new behaviour) to the pool later inputs are mutated from.</summary>
    public void AddSeed(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length > 0)
        {
            _seeds.Add(new Seed(input, LengthFields(input)));
        }
    }

    /// <summary>The next input: 5 % random bytes, 5 % random framed messages, the rest mutated seeds.</summary>
    public byte[] Next(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int roll = random.Next(100);
        if (roll < 5)
        {
            byte[] noise = new byte[random.Next(0, 600)];
            random.NextBytes(noise);
            return noise;
        }

        if (roll < 10)
        {
            return RandomFramed(random);
        }

        Seed seed = _seeds[random.Next(_seeds.Count)];
        var data = new List<byte>(seed.Bytes);
        int mutations = 1 + (random.Next(4) == 0 ? random.Next(8) : random.Next(2));
        for (int i = 0; i < mutations && data.Count > 0; i++)
        {
            Mutate(random, data, seed);
        }

        return [.. data];
    }

    private void Mutate(Random random, List<byte> data, Seed seed)
    {
        switch (random.Next(11))
        {
            case 0: // bit flips
                for (int flips = 1 + random.Next(4); flips > 0; flips--)
                {
                    int at = random.Next(data.Count);
                    data[at] ^= (byte)(1 << random.Next(8));
                }

                break;
            case 1: // interesting byte
                data[random.Next(data.Count)] = InterestingBytes[random.Next(InterestingBytes.Length)];
                break;
            case 2: // truncation
            {
                int cut = random.Next(data.Count);
                data.RemoveRange(cut, data.Count - cut);
            }

                break;
            case 3: // corrupt a real nlmsg_len / nla_len field
            case 4:
                CorruptLength(random, data, seed);
                break;
            case 5: // splice another seed in (overwrite)
            {
                Seed other = _seeds[random.Next(_seeds.Count)];
                int from = random.Next(other.Bytes.Length);
                int length = Math.Min(random.Next(1, 64), other.Bytes.Length - from);
                int to = random.Next(data.Count);
                for (int i = 0; i < length; i++)
                {
                    if (to + i < data.Count)
                    {
                        data[to + i] = other.Bytes[from + i];
                    }
                    else
                    {
                        data.Add(other.Bytes[from + i]);
                    }
                }

                break;
            }

            case 6: // splice: insert a chunk of another seed (or a whole seed: concatenated messages)
            {
                Seed other = _seeds[random.Next(_seeds.Count)];
                bool whole = random.Next(3) == 0;
                int from = whole ? 0 : random.Next(other.Bytes.Length);
                int length = whole ? other.Bytes.Length : Math.Min(random.Next(1, 128), other.Bytes.Length - from);
                int at = whole ? (random.Next(2) == 0 ? 0 : data.Count) : random.Next(data.Count + 1);
                data.InsertRange(at, other.Bytes.Skip(from).Take(length));
                break;
            }

            case 7: // duplicate a chunk
            {
                int from = random.Next(data.Count);
                int length = Math.Min(random.Next(1, 64), data.Count - from);
                data.InsertRange(random.Next(data.Count + 1), data.GetRange(from, length));
                break;
            }

            case 8: // delete a chunk
            {
                int from = random.Next(data.Count);
                data.RemoveRange(from, Math.Min(random.Next(1, 32), data.Count - from));
                break;
            }

            case 9: // change a message or attribute type
            {
                if (seed.LengthFields.Count > 0)
                {
                    (int offset, bool message) = seed.LengthFields[random.Next(seed.LengthFields.Count)];
                    int typeAt = offset + (message ? 4 : 2);
                    ushort type = message ? InterestingTypes[random.Next(InterestingTypes.Length)] : (ushort)(random.Next(2) == 0 ? random.Next(12) : random.Next(0x10000));
                    WriteUInt16(data, typeAt, type);
                }

                break;
            }

            default: // random bytes inserted
            {
                byte[] junk = new byte[random.Next(1, 16)];
                random.NextBytes(junk);
                data.InsertRange(random.Next(data.Count + 1), junk);
                break;
            }
        }
    }

    private static void CorruptLength(Random random, List<byte> data, Seed seed)
    {
        if (seed.LengthFields.Count == 0)
        {
            return;
        }

        (int offset, bool message) = seed.LengthFields[random.Next(seed.LengthFields.Count)];
        int current = message ? (int)ReadUInt32(data, offset) : ReadUInt16(data, offset);
        uint value = random.Next(3) switch
        {
            0 => InterestingLengths[random.Next(InterestingLengths.Length)],
            1 => (uint)Math.Max(0, current + random.Next(-8, 9)),
            _ => (uint)random.Next(0, Math.Max(1, data.Count - offset + 8)),
        };
        if (message)
        {
            WriteUInt32(data, offset, value);
        }
        else
        {
            WriteUInt16(data, offset, (ushort)value);
        }
    }

    private static byte[] RandomFramed(Random random)
    {
        var message = new List<byte>();
        int messages = 1 + random.Next(3);
        for (int m = 0; m < messages; m++)
        {
            var payload = new List<byte> { (byte)random.Next(12), 0, 0, 0 };
            AppendAttributes(random, payload, depth: 0);
            ushort type = InterestingTypes[random.Next(InterestingTypes.Length)];
            int length = 16 + payload.Count;
            byte[] header = new byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)length);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), type);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), (ushort)random.Next(0x400));
            message.AddRange(header);
            message.AddRange(payload);
            while (message.Count % 4 != 0)
            {
                message.Add(0);
            }
        }

        return [.. message];
    }

    private static void AppendAttributes(Random random, List<byte> into, int depth)
    {
        int count = random.Next(6);
        for (int i = 0; i < count; i++)
        {
            var value = new List<byte>();
            bool nested = depth < 4 && random.Next(3) == 0;
            if (nested)
            {
                AppendAttributes(random, value, depth + 1);
            }
            else
            {
                int size = random.Next(5) switch { 0 => 1, 1 => 4, 2 => 8, 3 => random.Next(0, 20), _ => random.Next(1, 70) };
                byte[] bytes = new byte[size];
                random.NextBytes(bytes);
                if (random.Next(3) == 0)
                {
                    // a plausible string: letters and a NUL
                    for (int b = 0; b < bytes.Length; b++)
                    {
                        bytes[b] = b == bytes.Length - 1 ? (byte)0 : (byte)('a' + random.Next(26));
                    }
                }

                value.AddRange(bytes);
            }

            ushort type = (ushort)(random.Next(1, 12) | (nested && random.Next(2) == 0 ? 0x8000 : 0));
            into.AddRange(BitConverter.GetBytes((ushort)(4 + value.Count)));
            into.AddRange(BitConverter.GetBytes(type));
            into.AddRange(value);
            while (into.Count % 4 != 0)
            {
                into.Add(0);
            }
        }
    }

    /// <summary>Offsets of every nlmsg_len (message: true) and nla_len (message: false) found by a lenient walk.</summary>
    private static List<(int Offset, bool Message)> LengthFields(byte[] data)
    {
        var fields = new List<(int, bool)>();
        int offset = 0;
        while (offset + 16 <= data.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset));
            if (length < 16 || length > data.Length - offset)
            {
                break;
            }

            fields.Add((offset, true));
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(offset + 4));
            if (type == 2 && length >= 36)
            {
                fields.Add((offset + 20, true)); // the echoed header inside nlmsgerr
                WalkAttributes(data, offset + 36, offset + (int)length, fields, 0);
            }
            else if (length >= 20)
            {
                WalkAttributes(data, offset + 20, offset + (int)length, fields, 0);
            }

            offset += (int)((length + 3) & ~3u);
        }

        return fields;
    }

    private static void WalkAttributes(byte[] data, int start, int end, List<(int, bool)> fields, int depth)
    {
        int offset = start;
        while (offset + 4 <= end)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(offset));
            if (length < 4 || offset + length > end)
            {
                return;
            }

            fields.Add((offset, false));
            if (depth < 6 && length >= 8)
            {
                WalkAttributes(data, offset + 4, offset + length, fields, depth + 1); // nested or not: a lenient guess
            }

            offset += (length + 3) & ~3;
        }
    }

    private static uint ReadUInt32(List<byte> data, int at) => at + 4 <= data.Count ? (uint)(data[at] | data[at + 1] << 8 | data[at + 2] << 16 | data[at + 3] << 24) : 0;

    private static ushort ReadUInt16(List<byte> data, int at) => at + 2 <= data.Count ? (ushort)(data[at] | data[at + 1] << 8) : (ushort)0;

    private static void WriteUInt32(List<byte> data, int at, uint value)
    {
        for (int i = 0; i < 4 && at + i < data.Count; i++)
        {
            data[at + i] = (byte)(value >> (8 * i));
        }
    }

    private static void WriteUInt16(List<byte> data, int at, ushort value)
    {
        for (int i = 0; i < 2 && at + i < data.Count; i++)
        {
            data[at + i] = (byte)(value >> (8 * i));
        }
    }

    private sealed record Seed(byte[] Bytes, List<(int Offset, bool Message)> LengthFields);
}
