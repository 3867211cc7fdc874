using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace Folios.Resp;

/// <summary>
/// The TCP side: listens on 127.0.0.1, and serves each connection through a pipe pair whose buffers come from the
/// given <see cref="MemoryPool{T}"/> (a <see cref="FolioMemoryPool"/>, or <see cref="MemoryPool{T}.Shared"/>).
/// </summary>
internal sealed class RespServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly MemoryPool<byte> _pool;
    private readonly RespCommands _commands;
    private readonly RespLimits _limits;
    private readonly TextWriter _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private readonly Task _accepting;

    private RespServer(Socket listener, MemoryPool<byte> pool, RespCommands commands, RespLimits limits, TextWriter log)
    {
        _listener = listener;
        _pool = pool;
        _commands = commands;
        _limits = limits;
        _log = log;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>The port it listens on (the one asked for, or the one the system chose for 0).</summary>
    public int Port { get; }

    /// <summary>Binds 127.0.0.1:<paramref name="port"/> and starts accepting; PING is answered from here on.</summary>
    public static RespServer Start(int port, MemoryPool<byte> pool, RespCommands commands, RespLimits limits, TextWriter log)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new RespServer(listener, pool, commands, limits, log);
    }

    /// <summary>Stops accepting, ends every connection (a command being run finishes first) and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Dispose();
        await _accepting;
        foreach (var socket in _connections.Keys)
            ShutDown(socket);
        await Task.WhenAll(_connections.Values);
        _stopping.Dispose();
    }

    /// <summary>
    /// Ends a connection's reads and writes so that its task finishes. Its client may have gone already (the socket is
    /// no longer connected) or its task may be disposing it right now: both mean it is finishing anyway.
    /// </summary>
    internal static void ShutDown(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && _stopping.IsCancellationRequested)
            {
                return;
            }
            _connections[socket] = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await Task.Yield();
        try
        {
            socket.NoDelay = true;
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            var input = PipeReader.Create(stream, new StreamPipeReaderOptions(pool: _pool, leaveOpen: true));
            var output = PipeWriter.Create(stream, new StreamPipeWriterOptions(pool: _pool, leaveOpen: true));
            await RespConnection.RunAsync(input, output, _commands, _limits, _stopping.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client went away, or the server is stopping.
        }
        catch (Exception e)
        {
            // One connection's failure never takes the server down.
            _log.WriteLine($"connection closed after an error: {e}");
        }
        finally
        {
            _connections.TryRemove(socket, out _);
            socket.Dispose();
        }
    }
}
