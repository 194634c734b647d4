using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Handoff;

/// <summary>
/// A connection to the guard serving a state directory, for handing it one change: the guard records and commits it
/// through the connection that owns the tables, so a command never meets EPERM on a guarded table. Results and failures
/// come back as the same types the command would produce acting itself. One request per connection.
/// The durable operations (<c>DurableIsolator</c>, <c>IsolationRestorer</c>) use it whenever a guard answers.
/// </summary>
internal sealed class GuardClient : IDisposable
{
    /// <summary>The hand-over socket's file name in the state directory.</summary>
    public const string SocketFileName = "guard.sock";

    private readonly UnixStreamSocket _socket;
    private bool _used;

    private GuardClient(UnixStreamSocket socket) => _socket = socket;

    /// <summary>How long to wait for the guard's answer; it answers once the change is in the kernel.</summary>
    public static TimeSpan ReplyTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The hand-over socket of <paramref name="stateDirectory"/>.</summary>
    public static string SocketPathFor(string stateDirectory) => Path.Combine(Path.GetFullPath(stateDirectory), SocketFileName);

    /// <summary>
    /// Connects to the guard serving <paramref name="stateDirectory"/>; null when none does (no socket, or a stale one
    /// nobody listens on), in which case the caller acts itself.
    /// </summary>
    public static GuardClient? TryConnect(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        string path = SocketPathFor(stateDirectory);

        // No stat first: connect(2) answers ENOENT itself when no guard ever served here, in one system call.
        int error = UnixStreamSocket.TryConnect(path, out UnixStreamSocket? socket);
        switch (error)
        {
            case 0:
                break;
            case Errno.ECONNREFUSED or Errno.ENOENT or Errno.ENOTDIR or Errno.EADDRNOTAVAIL:
                return null; // a socket nobody listens on (left by a guard that was killed), or it just went away
            case Errno.EACCES or Errno.EPERM:
                return null; // not root: no guard will take the change, and acting alone meets the kernel's own refusal
            default:
                // Not able to ask the guard: acting alone could fight it over the table, so say why and what to do.
                throw IsolationException.GuardUnavailable($"cannot reach the guard at {path}: {Errno.Name(error)} ({Errno.Describe(error)}); check the state directory, or stop the guard (systemctl stop aurorasoc-isolate-guard)");
        }

        return new GuardClient(socket!);
    }

    /// <summary>Hands over an isolate: the guard records <paramref name="intent"/> and commits it with <paramref name="options"/>.</summary>
    /// <exception cref="IsolationException">The kernel refused it, or no collector was reachable; the exception says the state afterwards.</exception>
    /// <exception cref="PolicyValidationException">The options could not be honoured; nothing changed.</exception>
    /// <exception cref="IntentStoreException">The intent could not be recorded.</exception>
    /// <exception cref="IsolationException">Also when the hand-over itself failed: refused (PermissionDenied), another
    /// protocol version (ProtocolViolation), no answer (OutcomeUnknown: check with status).</exception>
    /// <param name="intent">What to record and apply.</param>
    /// <param name="options">Verification and connection cutting.</param>
    /// <param name="callerNamespace">True when the target is this process's own namespace: the guard finds it from
    /// this process rather than from the intent's target.</param>
    public IsolationResult Isolate(IsolationIntent intent, IsolateOptions options, bool callerNamespace)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(options);
        GuardResponse response = Exchange(new GuardRequest { Version = GuardOperations.ProtocolVersion, Operation = GuardOperations.Isolate, Intent = intent, Options = options, CallerNamespace = callerNamespace }, IsolationOperation.Isolate);
        return response.Isolated ?? throw GuardErrors.HandoffFailed(IsolationOperation.Isolate, IsolationErrorKind.ProtocolViolation, "the guard's answer to isolate carries no result; whether it was applied is unknown: check with status");
    }

    /// <summary>Hands over an unisolate of <paramref name="table"/> in <paramref name="target"/>.</summary>
    public void Unisolate(string target, string table, bool callerNamespace)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        IsolationPolicy.ValidateTableName(table);
        Exchange(new GuardRequest { Version = GuardOperations.ProtocolVersion, Operation = GuardOperations.Unisolate, Target = target, Table = table, CallerNamespace = callerNamespace }, IsolationOperation.Unisolate);
    }

    /// <summary>Hands over a restore: the guard re-applies every recorded intent whose namespace exists.</summary>
    public IReadOnlyList<RestoreResult> Restore()
    {
        GuardResponse response = Exchange(new GuardRequest { Version = GuardOperations.ProtocolVersion, Operation = GuardOperations.Restore }, IsolationOperation.Guard);
        return response.Restored ?? [];
    }

    private GuardResponse Exchange(GuardRequest request, IsolationOperation operation)
    {
        if (_used)
        {
            throw new InvalidOperationException("a GuardClient carries one request; connect again for the next");
        }

        _used = true;
        GuardResponse response;
        try
        {
            int timeout = (int)ReplyTimeout.TotalMilliseconds;
            GuardFrames.Write(_socket, timeout, request.WriteTo);
            response = GuardFrames.Read(_socket, timeout, GuardResponse.Read);
        }
        catch (Exception exception) when (exception is IOException or JsonException or FormatException or InvalidOperationException)
        {
            throw GuardErrors.HandoffFailed(operation, IsolationErrorKind.OutcomeUnknown, $"the guard did not answer the {request.Operation} ({exception.Message}); whether it was applied is unknown: check with status", exception);
        }

        if (response.Ok)
        {
            return response;
        }

        throw GuardErrors.ToException(response.Error ?? new GuardErrorReply { Type = GuardErrorTypes.Protocol, Message = "the guard refused the request without saying why" }, operation);
    }

    /// <summary>Closes the connection to the guard.</summary>
    public void Dispose() => _socket.Dispose();
}
