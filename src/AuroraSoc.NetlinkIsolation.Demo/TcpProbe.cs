using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.Demo;

/// <summary>One TCP connect from inside a namespace, done in-process, and how it ended.</summary>
internal sealed record TcpProbe(ProbeOutcome Outcome, TimeSpan Elapsed, SocketError Error)
{
    public static TcpProbe Connect(DemoNamespace from, IPEndPoint to, TimeSpan timeout)
        => NamespaceThread.Run(from.Path, () =>
        {
            using var socket = new Socket(to.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            long started = Stopwatch.GetTimestamp();
            try
            {
                using var cancellation = new CancellationTokenSource(timeout);
                socket.ConnectAsync(to, cancellation.Token).AsTask().GetAwaiter().GetResult();
                return new TcpProbe(ProbeOutcome.Connected, Stopwatch.GetElapsedTime(started), SocketError.Success);
            }
            catch (OperationCanceledException)
            {
                return new TcpProbe(ProbeOutcome.NoAnswer, Stopwatch.GetElapsedTime(started), SocketError.TimedOut);
            }
            catch (SocketException exception)
            {
                ProbeOutcome outcome = exception.SocketErrorCode == SocketError.ConnectionRefused ? ProbeOutcome.Refused : ProbeOutcome.Failed;
                return new TcpProbe(outcome, Stopwatch.GetElapsedTime(started), exception.SocketErrorCode);
            }
        });

    public override string ToString()
    {
        string ms = Elapsed.TotalMilliseconds.ToString(Elapsed.TotalMilliseconds < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);
        return Outcome switch
        {
            ProbeOutcome.Connected => $"connected ({ms} ms)",
            ProbeOutcome.Refused => $"TCP reset ({ms} ms)",
            ProbeOutcome.NoAnswer => $"no answer ({Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)",
            _ => $"{Error} ({ms} ms)",
        };
    }
}
