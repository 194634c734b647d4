using System.Collections;
using System.Runtime.InteropServices;
using System.Text;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Process;

/// <summary>
/// A child process whose stdin and stdout are pipes to this process: started by posix_spawn(3), given a few bytes on
/// stdin, read until it closes stdout, and always reaped. System.Diagnostics.Process does the same through its pipe
/// streams, which on Unix are sockets underneath and bring System.IO.Pipes, System.Net.Sockets and the async machinery
/// into every NativeAOT image that starts a child (docs/adr/0004-sockets-through-native-interop.md).
/// The pid is never reused while this object lives: it is reaped only in <see cref="WaitForExit"/> or
/// <see cref="Dispose"/>, so a kill(2) before that can only reach this child (or its zombie).
/// </summary>
internal sealed partial class ChildProcess : IDisposable
{
    /// <summary>sizeof(posix_spawn_file_actions_t): 80 bytes on glibc and musl, LP64 (spawn.h).</summary>
    public const int SpawnFileActionsSize = 80;

    /// <summary>sizeof(posix_spawnattr_t): 336 bytes on glibc and musl, LP64 (spawn.h).</summary>
    public const int SpawnAttributesSize = 336;

    /// <summary>sizeof(sigset_t): 1024 signal bits in glibc and musl (bits/types/__sigset_t.h).</summary>
    public const int SignalSetSize = 128;

    /// <summary>posix_spawnattr_setflags(3): apply the signal mask of the attributes.</summary>
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;

    /// <summary>posix_spawnattr_setflags(3): reset the signals of the attributes' set to their default action.</summary>
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;

    private readonly SafeFileHandle _input;
    private readonly SafeFileHandle _output;
    private bool _reaped;
    private int _exitStatus;

    private ChildProcess(int processId, SafeFileHandle input, SafeFileHandle output)
    {
        ProcessId = processId;
        _input = input;
        _output = output;
    }

    /// <summary>The child's pid; it names this child until <see cref="WaitForExit"/> or <see cref="Dispose"/> reaps it.</summary>
    public int ProcessId { get; }

    /// <summary>
    /// Starts <paramref name="path"/> (a path, not searched on PATH) with argv [<paramref name="path"/>,
    /// <paramref name="arguments"/>...], this process's environment (as .NET sees it, with its own changes), stderr
    /// shared, and stdin and stdout as pipes. Returns 0 or errno: ENOENT (no such file), EACCES (not executable), ...
    /// </summary>
    public static unsafe int TryStart(string path, IReadOnlyList<string> arguments, out ChildProcess? child)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(arguments);
        child = null;

        // pipe2(2) with O_CLOEXEC: the ends stay out of every other program this process starts; posix_spawn's dup2
        // onto 0 and 1 clears the flag on the child's copies only.
        int* input = stackalloc int[2];
        int* output = stackalloc int[2];
        if (LibC.pipe2(input, LibC.O_CLOEXEC) == -1)
        {
            return Marshal.GetLastPInvokeError();
        }

        if (LibC.pipe2(output, LibC.O_CLOEXEC) == -1)
        {
            int error = Marshal.GetLastPInvokeError();
            _ = LibC.close(input[0]);
            _ = LibC.close(input[1]);
            return error;
        }

        var inputEnd = new SafeFileHandle(input[1], ownsHandle: true);
        var outputEnd = new SafeFileHandle(output[0], ownsHandle: true);
        int processId = 0;
        int spawned = Errno.EIO; // not started, unless Spawn says otherwise (it may also throw)
        try
        {
            spawned = Spawn(path, arguments, childInput: input[0], childOutput: output[1], &processId);
        }
        finally
        {
            // The child has its copies (or never started): this process keeps only the write end of stdin and the
            // read end of stdout, so the child's exit is an EOF here.
            _ = LibC.close(input[0]);
            _ = LibC.close(output[1]);
            if (spawned != 0)
            {
                inputEnd.Dispose();
                outputEnd.Dispose();
            }
        }

        if (spawned != 0)
        {
            return spawned;
        }

        child = new ChildProcess(processId, inputEnd, outputEnd);
        return 0;
    }

    /// <summary>
    /// Writes all of <paramref name="bytes"/> to the child's stdin. Returns 0 or errno (EPIPE: the child has closed
    /// stdin or exited; SIGPIPE is ignored by the .NET runtime). Blocks while a full pipe (64 KiB) is not read.
    /// </summary>
    public int WriteInput(ReadOnlySpan<byte> bytes)
    {
        using var lease = new DescriptorLease(_input);
        return StandardDescriptor.Write(lease.FileDescriptor, bytes);
    }

    /// <summary>Closes the child's stdin: a child reading it sees EOF.</summary>
    public void CloseInput() => _input.Dispose();

    /// <summary>
    /// Reads the child's stdout until EOF (the child and everything it passed stdout to have closed it) or until
    /// <paramref name="timeout"/> has passed. Returns 0 with all of it as UTF-8 in <paramref name="text"/>, ETIMEDOUT
    /// with what had arrived, or another errno.
    /// </summary>
    public unsafe int ReadOutputToEnd(TimeSpan timeout, out string text)
    {
        long deadline = Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        using var received = new MemoryStream();
        byte* buffer = stackalloc byte[4096];
        int outcome = 0;
        using (var lease = new DescriptorLease(_output))
        {
            var waiting = new pollfd { fd = lease.FileDescriptor, events = LibC.POLLIN };
            while (true)
            {
                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                {
                    outcome = Errno.ETIMEDOUT;
                    break;
                }

                int ready = Interop.Poll(&waiting, 1, (int)Math.Min(remaining, int.MaxValue));
                if (ready == -1)
                {
                    int error = Marshal.GetLastPInvokeError();
                    if (error == Errno.EINTR)
                    {
                        continue;
                    }

                    outcome = error;
                    break;
                }

                if (ready == 0)
                {
                    continue; // the loop's deadline check ends it
                }

                // POLLHUP with data still buffered: read(2) returns the data first, then 0.
                ssize_t count = LibC.read(lease.FileDescriptor, buffer, 4096);
                if (count == -1)
                {
                    int error = Marshal.GetLastPInvokeError();
                    if (error == Errno.EINTR)
                    {
                        continue;
                    }

                    outcome = error;
                    break;
                }

                if (count == 0)
                {
                    break;
                }

                received.Write(new ReadOnlySpan<byte>(buffer, (int)count));
            }
        }

        text = Encoding.UTF8.GetString(received.GetBuffer(), 0, (int)received.Length);
        return outcome;
    }

    /// <summary>
    /// Waits for the child to exit and reaps it (waitpid(2)); returns its exit code, or 128 + the signal that ended it
    /// (as a shell reports it). Blocks for as long as the child runs.
    /// </summary>
    public int WaitForExit()
    {
        if (_reaped)
        {
            return _exitStatus;
        }

        int status = Reap();
        _exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
        return _exitStatus;
    }

    /// <summary>Closes both pipes and, unless the child has been reaped, kills it with SIGKILL and reaps it: no zombie.</summary>
    public void Dispose()
    {
        _input.Dispose();
        _output.Dispose();
        if (!_reaped)
        {
            // Not reaped yet, so the pid is still this child's (running or a zombie): kill(2) cannot reach another
            // process, and killing a zombie is harmless.
            _ = Kill(ProcessId, LibC.SIGKILL);
            _ = WaitForExit();
        }
    }

    /// <summary>waitpid(2) until the child's status is collected; EINTR is retried, ECHILD cannot happen for our own child.</summary>
    private unsafe int Reap()
    {
        int status = 0;
        while (WaitProcess(ProcessId, &status, 0) == -1 && Marshal.GetLastPInvokeError() == Errno.EINTR)
        {
        }

        _reaped = true;
        return status;
    }

    private static unsafe int Spawn(string path, IReadOnlyList<string> arguments, int childInput, int childOutput, int* processId)
    {
        nint[] argv = new nint[arguments.Count + 2];
        nint[] envp = EnvironmentStrings();
        byte* fileActions = stackalloc byte[SpawnFileActionsSize];
        byte* attributes = stackalloc byte[SpawnAttributesSize];
        byte* emptySet = stackalloc byte[SignalSetSize];
        byte* pipeSignal = stackalloc byte[SignalSetSize];
        try
        {
            argv[0] = Marshal.StringToCoTaskMemUTF8(path);
            for (int i = 0; i < arguments.Count; i++)
            {
                argv[i + 1] = Marshal.StringToCoTaskMemUTF8(arguments[i]);
            }

            int error = FileActionsInit(fileActions);
            if (error != 0)
            {
                return error;
            }

            try
            {
                error = AttributesInit(attributes);
                if (error != 0)
                {
                    return error;
                }

                try
                {
                    // The child starts as from a shell: no signal blocked, and SIGPIPE back to its default action
                    // (the .NET runtime ignores it, and an ignored signal stays ignored across execve(2)).
                    _ = SignalSetEmpty(emptySet);
                    _ = SignalSetEmpty(pipeSignal);
                    _ = SignalSetAdd(pipeSignal, LibC.SIGPIPE);
                    if ((error = AddDup2(fileActions, childInput, 0)) != 0
                        || (error = AddDup2(fileActions, childOutput, 1)) != 0
                        || (error = AttributesSetSignalMask(attributes, emptySet)) != 0
                        || (error = AttributesSetSignalDefault(attributes, pipeSignal)) != 0
                        || (error = AttributesSetFlags(attributes, (short)(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))) != 0)
                    {
                        return error;
                    }

                    fixed (nint* argumentVector = argv)
                    fixed (nint* environmentVector = envp)
                    {
                        // glibc reports a failed execve(2) of the child as posix_spawn's own result (since 2.24).
                        return PosixSpawn(processId, path, fileActions, attributes, argumentVector, environmentVector);
                    }
                }
                finally
                {
                    _ = AttributesDestroy(attributes);
                }
            }
            finally
            {
                _ = FileActionsDestroy(fileActions);
            }
        }
        finally
        {
            Free(argv);
            Free(envp);
        }
    }

    /// <summary>"NAME=value" strings of <see cref="Environment.GetEnvironmentVariables()"/>, null-terminated.</summary>
    private static nint[] EnvironmentStrings()
    {
        IDictionary variables = Environment.GetEnvironmentVariables();
        nint[] envp = new nint[variables.Count + 1];
        int i = 0;
        foreach (DictionaryEntry variable in variables)
        {
            envp[i++] = Marshal.StringToCoTaskMemUTF8($"{variable.Key}={variable.Value}");
        }

        return envp;
    }

    private static void Free(nint[] strings)
    {
        foreach (nint text in strings)
        {
            Marshal.FreeCoTaskMem(text);
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int PosixSpawn(int* processId, string path, byte* fileActions, byte* attributes, nint* argv, nint* envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static unsafe partial int FileActionsInit(byte* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static unsafe partial int AddDup2(byte* fileActions, int fileDescriptor, int newFileDescriptor);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static unsafe partial int FileActionsDestroy(byte* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static unsafe partial int AttributesInit(byte* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static unsafe partial int AttributesSetFlags(byte* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static unsafe partial int AttributesSetSignalMask(byte* attributes, byte* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static unsafe partial int AttributesSetSignalDefault(byte* attributes, byte* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static unsafe partial int AttributesDestroy(byte* attributes);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static unsafe partial int SignalSetEmpty(byte* signals);

    [LibraryImport("libc", EntryPoint = "sigaddset")]
    private static unsafe partial int SignalSetAdd(byte* signals, int signal);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static unsafe partial int WaitProcess(int processId, int* status, int options);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int processId, int signal);
}
