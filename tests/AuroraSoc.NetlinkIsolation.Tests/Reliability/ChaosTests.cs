using System.Buffers.Binary;
using System.Globalization;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Reliability;

/// <summary>
/// Thousands of isolate / unisolate / status / probe calls on the fake kernel, each with one random fault from the
/// catalogue. Honest faults (what a real kernel or transport can do) must end in the documented outcome and a true
/// report of the state; lying faults (corrupted replies) must still end in success or an IsolationException — never
/// a hang or another exception type.
/// </summary>
public sealed class ChaosTests
{
    private const int Operations = 3_000;

    private static readonly int[] RejectErrnos = [Errno.EPERM, Errno.EINVAL, Errno.ENOENT, Errno.ENOMEM, Errno.EOPNOTSUPP, Errno.ERESTART, Errno.ENOSPC, Errno.EBUSY, Errno.EEXIST];

    [Fact]
    public void HostIsolator_3000OperationsWithRandomFaults_OnlyDocumentedOutcomesAndTrueStates()
    {
        var random = new Random(0xC4A05);
        IsolationPolicy policyA = Rig.Policy;
        IsolationPolicy policyB = new([Endpoint.Parse("203.0.113.7"), Endpoint.Parse("[2001:db8::7]:6514")], mode: IsolationMode.Strict, dns: DnsPolicy.AnyResolver);
        int rulesA = IsolationRuleset.Build(policyA).Rules.Count;
        int rulesB = IsolationRuleset.Build(policyB).Rules.Count;
        Assert.NotEqual(rulesA, rulesB);

        using var rig = new Rig();
        var violations = new List<string>();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);

        Bounded.Run(() =>
        {
            for (int i = 0; i < Operations; i++)
            {
                int op = random.Next(5);
                int fault = random.Next(24);
                bool honest = Arm(rig, random, fault);
                int committedBefore = rig.Kernel.BatchesCommitted;
                string outcome;
                try
                {
                    switch (op)
                    {
                        case 0:
                        case 1:
                            IsolationPolicy policy = op == 0 ? policyA : policyB;
                            rig.Isolator.Isolate(policy);
                            outcome = "isolate ok";
                            if (honest && (!rig.Kernel.TableExists || rig.Kernel.RuleCount != (op == 0 ? rulesA : rulesB)))
                            {
                                violations.Add($"#{i} fault {fault}: Isolate returned but the kernel has {(rig.Kernel.TableExists ? rig.Kernel.RuleCount + " rules" : "no table")}");
                            }

                            break;
                        case 2:
                            rig.Isolator.Unisolate();
                            outcome = "unisolate ok";
                            if (honest && rig.Kernel.TableExists)
                            {
                                violations.Add($"#{i} fault {fault}: Unisolate returned but the table is there");
                            }

                            break;
                        case 3:
                            IsolationStatus status = rig.Isolator.GetStatus();
                            outcome = "status " + status.State;
                            if (honest && status.State != (rig.Kernel.TableExists ? IsolationState.Isolated : IsolationState.NotIsolated))
                            {
                                violations.Add($"#{i} fault {fault}: GetStatus said {status.State}, the kernel has {(rig.Kernel.TableExists ? "the table" : "none")}");
                            }

                            break;
                        default:
                            bool isolated = rig.Isolator.IsIsolated();
                            outcome = "probe " + isolated;
                            if (honest && isolated != rig.Kernel.TableExists)
                            {
                                violations.Add($"#{i} fault {fault}: IsIsolated said {isolated}");
                            }

                            break;
                    }
                }
                catch (IsolationException exception)
                {
                    outcome = "IsolationException " + exception.Kind;
                    bool committed = rig.Kernel.BatchesCommitted != committedBefore;
                    if (honest && exception.StateAfter is { } after && after != (rig.Kernel.TableExists ? IsolationState.Isolated : IsolationState.NotIsolated))
                    {
                        violations.Add($"#{i} fault {fault}: StateAfter {after} but the kernel has {(rig.Kernel.TableExists ? "the table" : "none")}");
                    }

                    if (honest && committed && exception.Kind != IsolationErrorKind.OutcomeUnknown)
                    {
                        violations.Add($"#{i} fault {fault}: the kernel committed but the call failed with {exception.Kind}: {exception.Message}");
                    }
                }
#pragma warning disable CA1031 // anything else is the finding
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    outcome = "UNEXPECTED " + exception.GetType().Name;
                    violations.Add($"#{i} op {op} fault {fault}: {exception.GetType().Name}: {exception.Message}");
                }

                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                Disarm(rig);
            }
        }, TimeSpan.FromMinutes(2));

        TestContext.Current.TestOutputHelper?.WriteLine($"{Operations} operations, {rig.Socket.FaultsInjected} faults injected");
        foreach (var entry in outcomes.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {entry.Key}: {entry.Value}"));
        }

        Assert.True(violations.Count == 0, $"{violations.Count} violations:\n" + string.Join("\n", violations.Take(20)));
    }

    /// <summary>Arms one fault for the next operation; returns whether it is honest (a real kernel could do it).</summary>
    private static bool Arm(Rig rig, Random random, int fault)
    {
        FakeNetlinkSocket socket = rig.Socket;
        FakeNfTablesKernel kernel = rig.Kernel;
        int start = socket.Delivered.Count;
        bool once = false;
        bool OnceFor(KernelRequest request, Func<KernelRequest, bool> which)
        {
            if (once || !which(request))
            {
                return false;
            }

            once = true;
            return true;
        }

        switch (fault)
        {
            case 0:
            case 1:
                return true;
            case 2:
                for (int k = random.Next(1, 4); k > 0; k--)
                {
                    socket.SendPlan.Enqueue(new SendStep.Fail(random.Next(2) == 0 ? Errno.EINTR : Errno.EAGAIN));
                }

                return true;
            case 3:
                socket.SendPlan.Enqueue(new SendStep.Short(random.Next(1, 16), Delivered: random.Next(2) == 0));
                return true;
            case 4:
                socket.SendPlan.Enqueue(random.Next(2) == 0 ? new SendStep.DeliverThenFail(Errno.ENOBUFS) : new SendStep.Fail(Errno.ENOBUFS));
                return true;
            case 5:
            case 6:
            {
                int errno = fault == 5 ? Errno.ENOBUFS : random.Next(2) == 0 ? Errno.EINTR : Errno.EMSGSIZE;
                bool fired = false;
                socket.ReceiveInterceptor = (delivered, _) =>
                {
                    if (!fired && delivered == start + 1)
                    {
                        fired = true;
                        return errno;
                    }

                    return null;
                };
                return true;
            }

            case 7: // no answer to the first GET
                kernel.ReplyTransform = (request, replies) => OnceFor(request, r => r.Name != "BATCH") ? TransportFaultTests.Drop(socket, replies) : replies;
                return true;
            case 8: // stale and foreign replies in front of the real ones
                kernel.ReplyTransform = (request, replies) =>
                {
                    socket.Fault("reply:stale and foreign");
                    byte[] stale = Wire.Error(Errno.EPERM, Wire.Readdress(request.Messages[0], null, 0, request.Sequence - 1000, socket.PortId), socket.PortId);
                    byte[] foreign = Wire.Error(Errno.EPERM, request.Messages[0], socket.PortId + 7);
                    return [stale, foreign, .. replies];
                };
                return true;
            case 9: // NLM_F_DUMP_INTR once
                kernel.ReplyTransform = (request, replies) =>
                {
                    if (!OnceFor(request, r => r.Name is "GETCHAIN" or "GETRULE"))
                    {
                        return replies;
                    }

                    socket.Fault("reply:NLM_F_DUMP_INTR");
                    return [.. replies.Select(d => Wire.Datagram(Wire.Split(d).Select(m => Wire.Readdress(m, null, (ushort)(Wire.Flags(m) | Wire.FlagDumpIntr), Wire.Sequence(m), Wire.PortId(m)))))];
                };
                return true;
            case 10: // ENOBUFS in the middle of a dump
                kernel.DumpMessagesPerDatagram = 4;
                kernel.ReplyTransform = (request, replies) =>
                {
                    if (!OnceFor(request, r => r.Name == "GETRULE") || replies.Count < 2)
                    {
                        return replies;
                    }

                    socket.Enqueue(replies[0]);
                    socket.EnqueueError(Errno.ENOBUFS, "recv:ENOBUFS mid-dump");
                    return [];
                };
                return true;
            case 11:
            case 12: // the kernel refuses the batch, with an honest or a garbage extended ack
                kernel.RejectBatch = messages =>
                {
                    int index = random.Next(messages.Count - 1);
                    int errno = RejectErrnos[random.Next(RejectErrnos.Length)];
                    byte[]? tlvs = fault == 11 ? Wire.U32HostAttribute(2, 20) : RandomBytes(random, random.Next(0, 24));
                    socket.Fault("kernel:batch refused with " + Errno.Name(errno));
                    return (index, errno, tlvs);
                };
                return true;
            case 13: // another process commits while we read
                kernel.OnRequest = request =>
                {
                    if (OnceFor(request, r => r.Name is "GETCHAIN" or "GETRULE"))
                    {
                        kernel.Generation++;
                        socket.Fault("kernel:concurrent commit during read");
                    }
                };
                return true;
            case 14: // leftovers of an earlier request waiting in the socket
                for (int k = random.Next(1, 4); k > 0; k--)
                {
                    byte[] old = Wire.Header(Wire.NfType(1), 0, (uint)random.Next(), socket.PortId, new byte[4]);
                    socket.Enqueue(Wire.Error(RejectErrnos[random.Next(RejectErrnos.Length)], old, socket.PortId));
                }

                socket.Fault("reply:leftover before send");
                return true;
            case 15: // every reply delivered twice (the second copies are stale for the next request)
                kernel.ReplyTransform = (request, replies) =>
                {
                    socket.Fault("reply:duplicated");
                    return [.. replies, .. replies];
                };
                return true;
            case 16: // an EINTR on the first receive of each request
            {
                int last = -1;
                socket.ReceiveInterceptor = (delivered, _) =>
                {
                    if (delivered > start && delivered != last)
                    {
                        last = delivered;
                        return Errno.EINTR;
                    }

                    return null;
                };
                return true;
            }

            case 17:
            case 18:
            case 19:
            case 20: // lying: corrupt one reply datagram (bit flips, truncation, a length field, junk appended)
                kernel.ReplyTransform = (request, replies) =>
                {
                    if (replies.Count == 0 || !OnceFor(request, _ => random.Next(2) == 0))
                    {
                        return replies;
                    }

                    int which = random.Next(replies.Count);
                    byte[] copy = (byte[])replies[which].Clone();
                    switch (fault)
                    {
                        case 17:
                            for (int f = random.Next(1, 6); f > 0; f--)
                            {
                                copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                            }

                            socket.Fault("lie:bit flips in a reply");
                            break;
                        case 18:
                            copy = copy[..random.Next(copy.Length)];
                            socket.Fault("lie:truncated reply");
                            if (copy.Length == 0)
                            {
                                return [.. replies.Where((_, n) => n != which)];
                            }

                            break;
                        case 19:
                            BinaryPrimitives.WriteUInt32LittleEndian(copy, (uint)random.Next(0, copy.Length * 2));
                            socket.Fault("lie:nlmsg_len corrupted");
                            break;
                        default:
                            copy = [.. copy, .. RandomBytes(random, random.Next(1, 40))];
                            socket.Fault("lie:junk appended");
                            break;
                    }

                    replies[which] = copy;
                    return replies;
                };
                return false;
            case 21: // lying: a truncated nlmsgerr answers
                kernel.ReplyTransform = (request, replies) =>
                {
                    socket.Fault("lie:truncated nlmsgerr");
                    byte[] payload = new byte[random.Next(0, 20)];
                    return [.. replies, Wire.Header(Wire.NlmsgError, 0, request.Sequence, socket.PortId, payload)];
                };
                return false;
            case 22: // lying: a reply with an impossible errno
                kernel.ReplyTransform = (request, replies) =>
                {
                    socket.Fault("lie:impossible errno");
                    byte[] error = Wire.Error(1, request.Messages[0], socket.PortId);
                    BinaryPrimitives.WriteInt32LittleEndian(error.AsSpan(16), random.Next(2) == 0 ? random.Next(1, int.MaxValue) : int.MinValue + random.Next(1000));
                    return [.. replies, error];
                };
                return false;
            default: // lying: the error reply of a refused batch goes missing
                kernel.RejectBatch = messages => (random.Next(messages.Count - 1), Errno.EINVAL, null);
                kernel.ReplyTransform = (request, replies) => request.Name == "BATCH" ? TransportFaultTests.Drop(socket, replies) : replies;
                return false;
        }
    }

    private static void Disarm(Rig rig)
    {
        rig.Socket.SendPlan.Clear();
        rig.Socket.ReceiveInterceptor = null;
        rig.Kernel.ReplyTransform = null;
        rig.Kernel.RejectBatch = null;
        rig.Kernel.OnRequest = null;
        rig.Kernel.DumpMessagesPerDatagram = 8;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
