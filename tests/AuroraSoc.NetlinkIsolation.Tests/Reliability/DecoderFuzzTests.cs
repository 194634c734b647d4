using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.Testing.Decoding;
using AuroraSoc.NetlinkIsolation.Testing.Policies;
using AuroraSoc.NetlinkIsolation.Tests.Golden;
using AuroraSoc.NetlinkIsolation.Tests.Reliability.Fuzz;

namespace AuroraSoc.NetlinkIsolation.Tests.Reliability;

/// <summary>
/// Decoder fuzzing sized for CI (docs/reliability.md, "2. Fuzzing the decoders and parsers"): a fixed seed, over 100,000 inputs made from the real kernel
/// replies (and nft's requests), through every reader of kernel data. The only exception allowed is a protocol
/// violation; anything else fails with the input in hex. Coverage-guided fuzzing of the same code (afl-fuzz):
/// tests/AuroraSoc.NetlinkIsolation.Fuzzing.
/// </summary>
public sealed class DecoderFuzzTests
{
    private const int Seed = 0x5EED_2024;

    [Fact]
    public void Decoders_100000MutatedRepliesAndRandomBuffers_ThrowOnlyProtocolViolations()
    {
        const int inputs = 100_000;
        var mutator = new ReplyMutator(FuzzSeeds.Load(TestVector.DirectoryPath));
        var random = new Random(Seed);
        var findings = new List<string>();
        var watch = Stopwatch.StartNew();

        Bounded.Run(() =>
        {
            for (int i = 0; i < inputs; i++)
            {
                byte[] input = mutator.Next(random);
                try
                {
                    DecoderOracle.Exercise(input);
                }
#pragma warning disable CA1031 // any exception type is the finding
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    findings.Add(Describe(i, input, exception));
                }
            }
        }, TimeSpan.FromMinutes(2));

        FaultLedger.RecordFuzzInputs(inputs);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{inputs} inputs in {watch.Elapsed.TotalSeconds:0.0} s, seed 0x{Seed:x}, {findings.Count} findings"));
        Assert.True(findings.Count == 0, $"{findings.Count} inputs made a decoder throw something other than a protocol violation:\n" + string.Join("\n", findings.Take(5)));
    }

    [Fact]
    public void ErrorReplyParse_30000RandomExtendedAcks_ThrowOnlyProtocolViolations()
    {
        const int inputs = 30_000;
        var random = new Random(Seed + 1);
        var findings = new List<string>();
        IReadOnlyList<byte[]> requests = TestVector.Load("isolate-transaction").Request;

        for (int i = 0; i < inputs; i++)
        {
            byte[] input = RandomErrorReply(random, requests[random.Next(requests.Count)]);
            try
            {
                var reader = new NetlinkMessageReader(input);
                while (reader.Read())
                {
                    NetlinkErrorReply reply = NetlinkErrorReply.Parse(reader.Current);
                    _ = reply.KernelMessage;
                    _ = reply.Offset;
                }
            }
            catch (NetlinkException exception) when (exception.Kind == NetlinkErrorKind.ProtocolViolation)
            {
            }
#pragma warning disable CA1031 // any other exception type is the finding
            catch (Exception exception)
#pragma warning restore CA1031
            {
                findings.Add(Describe(i, input, exception));
            }
        }

        FaultLedger.RecordFuzzInputs(inputs);
        Assert.True(findings.Count == 0, string.Join("\n", findings.Take(5)));
    }

    [Fact]
    public void AttributeLocator_EveryOffsetIntoRealBatches_NeverThrows()
    {
        var random = new Random(Seed + 2);
        long described = 0;
        foreach (IsolationPolicy policy in new[] { ContractPolicies.Example(), ContractPolicies.StrictVariant(), ContractPolicies.StrictDnsAny() })
        {
            IsolationRuleset ruleset = IsolationRuleset.Build(policy);
            using var batch = new NfTablesBatch();
            ruleset.WriteIsolateBatch(batch, 100);
            for (uint sequence = 100; batch.TryGetMessage(sequence, out BatchMessage message); sequence++)
            {
                byte[] bytes = batch.MessageBytes(message).ToArray();
                var offsets = Enumerable.Range(0, bytes.Length + 16).Concat(Enumerable.Range(0, 64).Select(_ => random.Next()));
                foreach (int offset in offsets)
                {
                    string? path = AttributeLocator.Describe(bytes, offset);
                    Assert.True(path is null || path.Length > 0);
                    described++;
                }
            }
        }

        FaultLedger.RecordFuzzInputs(described);
    }

    /// <summary>An NLMSG_ERROR with random error, flags, echoed header (capped or whole) and random or broken TLVs.</summary>
    private static byte[] RandomErrorReply(Random random, byte[] request)
    {
        bool capped = random.Next(2) == 0;
        var tlvs = new List<byte>();
        for (int n = random.Next(5); n > 0; n--)
        {
            ushort type = (ushort)random.Next(0, 8);
            byte[] value = random.Next(4) switch
            {
                0 => BitConverter.GetBytes((uint)random.Next(-8, request.Length + 8)),
                1 => Encoding.UTF8.GetBytes("Could not process rule: No such file or directory\0"),
                2 => new byte[random.Next(0, 12)],
                _ => RandomBytes(random, random.Next(0, 40)),
            };
            ushort length = random.Next(10) == 0 ? (ushort)random.Next(0, 0x10000) : (ushort)(4 + value.Length);
            tlvs.AddRange(BitConverter.GetBytes(length));
            tlvs.AddRange(BitConverter.GetBytes(type));
            tlvs.AddRange(value);
            while (tlvs.Count % 4 != 0 && random.Next(8) != 0)
            {
                tlvs.Add(0);
            }
        }

        byte[] echoed = capped ? request[..16] : request;
        var payload = new List<byte>();
        int error = random.Next(6) switch { 0 => 0, 1 => random.Next(), 2 => -random.Next(), _ => -random.Next(1, 134) };
        payload.AddRange(BitConverter.GetBytes(error));
        payload.AddRange(echoed);
        while (payload.Count % 4 != 0)
        {
            payload.Add(0);
        }

        if (random.Next(4) == 0)
        {
            byte[] bogus = BitConverter.GetBytes(random.Next(3) == 0 ? uint.MaxValue - (uint)random.Next(64) : (uint)random.Next(0, 2 * request.Length));
            for (int b = 0; b < 4; b++)
            {
                payload[4 + b] = bogus[b];
            }
        }

        payload.AddRange(tlvs);
        int cut = random.Next(8) == 0 ? random.Next(0, payload.Count) : payload.Count;
        byte[] message = new byte[16 + cut];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), (ushort)((capped ? 0x100 : 0) | (random.Next(5) == 0 ? 0 : 0x200)));
        payload.Take(cut).ToArray().CopyTo(message, 16);
        return message;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Describe(int index, byte[] input, Exception exception)
        => string.Create(CultureInfo.InvariantCulture, $"input #{index}: {exception.GetType().Name}: {exception.Message}\n  at {exception.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}\n  hex: {Convert.ToHexString(input)}");
}
