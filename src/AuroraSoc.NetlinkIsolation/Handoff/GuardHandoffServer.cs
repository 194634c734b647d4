using System.Diagnostics;
using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using AuroraSoc.NetlinkIsolation.Interop.Structs;
using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Handoff;

/// <summary>
/// Serves the hand-over socket <c>DIR/guard.sock</c> (mode 0600 in a 0700 directory): accepts one connection at a
/// time, admits only root (SO_PEERCRED, set by the kernel at connect), reads one request, runs it on the guard and
/// answers once the change is in the kernel. Requests are short (a transaction is microseconds), so serving them one
/// after another keeps the order simple; a peer that stalls is cut off by the socket timeouts.
/// </summary>
internal sealed class GuardHandoffServer : IDisposable
{
    private const int AcceptWaitMilliseconds = 250;
    private const int PeerTimeoutMilliseconds = 10_000;

    private readonly IHandoffOperations _guard;
    private readonly ILogger _logger;
    private readonly UnixStreamSocket _listener;
    private readonly string _path;
    private readonly Thread _thread;
    private volatile bool _stopping;

    private GuardHandoffServer(IHandoffOperations guard, ILogger logger, UnixStreamSocket listener, string path)
    {
        _guard = guard;
        _logger = logger;
        _listener = listener;
        _path = path;
        _thread = new Thread(Serve) { IsBackground = true, Name = "AuroraSoc guard hand-over" };
    }

    /// <summary>Binds the socket; refuses when another guard answers on it, replaces a stale one left by a dead guard.</summary>
    public static GuardHandoffServer Start(IHandoffOperations guard, ILogger logger)
    {
        string path = GuardClient.SocketPathFor(guard.StateDirectory);
        if (GuardClient.TryConnect(guard.StateDirectory) is { } other)
        {
            other.Dispose();
            throw IsolationException.GuardUnavailable($"another guard already serves {guard.StateDirectory} (it answers on {path}); stop it first (systemctl stop aurorasoc-isolate-guard)");
        }

        UnixStreamSocket? listener = null;
        try
        {
            File.Delete(path); // a socket left by a guard that was killed: nobody answers on it
            int error = UnixStreamSocket.TryListen(path, 64, out listener);
            if (error != 0)
            {
                throw IsolationException.GuardUnavailable($"cannot serve the hand-over socket {path}: {Errno.Name(error)} ({Errno.Describe(error)}) (needs root and a writable state directory)");
            }

            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            listener?.Dispose();
            throw IsolationException.GuardUnavailable($"cannot serve the hand-over socket {path}: {FileSystemError.Describe(exception)} (needs root and a writable state directory)", exception);
        }

        var server = new GuardHandoffServer(guard, logger, listener!, path);
        server._thread.UnsafeStart();
        HandoffLogMessages.Serving(logger, path);
        return server;
    }

    private void Serve()
    {
        while (!_stopping)
        {
            int error = _listener.TryAccept(AcceptWaitMilliseconds, out UnixStreamSocket? client);
            if (error == Errno.ETIMEDOUT || _stopping)
            {
                client?.Dispose();
                continue; // look at _stopping again, at least every AcceptWaitMilliseconds
            }

            if (error != 0)
            {
                HandoffLogMessages.HandoffFailed(_logger, $"accept: {Errno.Name(error)} ({Errno.Describe(error)})");
                Thread.Sleep(AcceptWaitMilliseconds); // EMFILE and the like persist: do not spin on them
                continue;
            }

            using (client)
            {
                ServeOne(client!);
            }
        }
    }

    private void ServeOne(UnixStreamSocket client)
    {
        long started = Stopwatch.GetTimestamp();
        int peerProcess = 0;
        string operation = "unknown";
        try
        {
            int errno = UnixSocketPeer.TryGetCredentials(client.Handle, out PeerCredentials peer);
            peerProcess = peer.ProcessId;
            if (errno != 0)
            {
                HandoffLogMessages.HandoffRefused(_logger, peer.ProcessId, peer.UserId, $"the guard could not identify the caller ({Errno.Name(errno)})");
                Reply(client, Failure(new GuardErrorReply { Type = GuardErrorTypes.Refused, Message = $"the guard could not identify the caller ({Errno.Name(errno)}); hand-over refused" }));
                return;
            }

            GuardRequest request;
            try
            {
                request = GuardFrames.Read(client, PeerTimeoutMilliseconds, GuardRequest.Read);
            }
            catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException)
            {
                // A request this guard cannot read is answered, not dropped: the command says why instead of "no answer".
                Reply(client, Failure(new GuardErrorReply { Type = GuardErrorTypes.Protocol, Message = $"the guard could not read the hand-over request: {exception.Message}" }));
                return;
            }

            // Checked after reading the request (the caller is then blocked on the answer, so its pid is its own) and
            // before acting on it: uid 0, CAP_NET_ADMIN, and the caller's namespace when it asked for its own.
            if (HandoffCaller.Check(client, peer, request.CallerNamespace, out string? refusal) is not { } caller)
            {
                HandoffLogMessages.HandoffRefused(_logger, peer.ProcessId, peer.UserId, refusal!);
                Reply(client, Failure(new GuardErrorReply { Type = GuardErrorTypes.Refused, Message = refusal! }));
                return;
            }

            request = ForCaller(request, caller);
            operation = request.Operation;
            GuardResponse response = Handle(request);
            Reply(client, response);
            long elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            HandoffLogMessages.HandedOver(_logger, operation, peerProcess, response.Ok ? "done" : response.Error?.Type ?? "failed", elapsed);
        }
        catch (Exception exception) when (exception is IOException or JsonException)
        {
            HandoffLogMessages.HandoffFailed(_logger, $"{operation} from pid {peerProcess}: {exception.Message}");
        }
    }

    /// <summary>
    /// A request whose target is the caller's own namespace, as the guard found it (host only when it is PID 1's): the
    /// client's word for it is not taken, since under <c>ip netns exec</c> or in a container it may believe it is the host.
    /// </summary>
    private static GuardRequest ForCaller(GuardRequest request, HandoffCaller caller)
    {
        if (!request.CallerNamespace || caller.OwnNamespaceTarget is not { } target)
        {
            return request;
        }

        return new GuardRequest
        {
            Version = request.Version,
            Operation = request.Operation,
            Intent = request.Intent?.ForTarget(target),
            Options = request.Options,
            Target = request.Target is null ? null : target,
            Table = request.Table,
            CallerNamespace = true,
        };
    }

    private GuardResponse Handle(GuardRequest request)
    {
        if (request.Version != GuardOperations.ProtocolVersion)
        {
            return Failure(new GuardErrorReply
            {
                Type = GuardErrorTypes.Protocol,
                Message = $"hand-over protocol version {request.Version} is not spoken by this guard (it speaks {GuardOperations.ProtocolVersion}); use the same release of aurorasoc-isolate for both",
            });
        }

        try
        {
            switch (request.Operation)
            {
                case GuardOperations.Isolate when request.Intent is { } intent:
                    return new GuardResponse { Version = GuardOperations.ProtocolVersion, Ok = true, Isolated = _guard.Isolate(intent, request.Options) };
                case GuardOperations.Unisolate when request.Target is { } target && request.Table is { } table:
                    _guard.Unisolate(target, table);
                    return new GuardResponse { Version = GuardOperations.ProtocolVersion, Ok = true };
                case GuardOperations.Restore:
                    return new GuardResponse
                    {
                        Version = GuardOperations.ProtocolVersion,
                        Ok = true,
                        Restored = _guard.Restore(),
                    };
                default:
                    return Failure(new GuardErrorReply { Type = GuardErrorTypes.Protocol, Message = $"malformed hand-over request '{request.Operation}'" });
            }
        }
#pragma warning disable CA1031 // Every failure goes back to the caller, named; the server keeps serving.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return Failure(GuardErrors.ToReply(exception));
        }
    }

    private static GuardResponse Failure(GuardErrorReply error) => new() { Version = GuardOperations.ProtocolVersion, Ok = false, Error = error };

    private static void Reply(UnixStreamSocket client, GuardResponse response) => GuardFrames.Write(client, PeerTimeoutMilliseconds, response.WriteTo);

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        _listener.Dispose();
        try
        {
            File.Delete(_path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A stale socket is harmless: nobody answers on it, so commands act themselves and the next guard replaces it.
        }
    }
}
