using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Folios.Resp.Tests;

/// <summary>The server stops cleanly however its clients leave: a stop must never throw out of the process.</summary>
public sealed class ServerStopTests
{
    [Fact]
    public async Task Stopping_while_clients_close_and_reset_their_connections_never_throws()
    {
        using var network = new PageAllocator(new PageAllocatorOptions { Name = "stop-network", ArenaBytes = 8 << 20 });
        using var storage = new PageAllocator(new PageAllocatorOptions { Name = "stop-store", ArenaBytes = 8 << 20 });
        using var pool = new FolioMemoryPool(network, owner: "stop");
        using var store = new KeyValueStore(storage);
        for (int round = 0; round < 20; round++)
        {
            var server = RespServer.Start(0, pool, new RespCommands(store), new RespLimits(), TextWriter.Null);
            var clients = new List<Socket>();
            for (int i = 0; i < 8; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port));
                await client.SendAsync(Encoding.ASCII.GetBytes("PING\r\n"));
                Assert.Equal("+PONG\r\n", await ReceiveLine(client));
                clients.Add(client);
            }
            // Half the clients leave as the server stops: a reset (linger 0) or a plain close, racing the shutdown.
            for (int i = 0; i < clients.Count; i += 2)
            {
                if (i % 4 == 0)
                    clients[i].LingerState = new LingerOption(true, 0);
                clients[i].Dispose();
            }
            await server.DisposeAsync();
            foreach (var client in clients)
                client.Dispose();
        }
        Assert.Equal((0L, 0L, 0L), (pool.Statistics.Outstanding, pool.Statistics.UseAfterReturn, pool.Statistics.DoubleReturns));
    }

    [Fact]
    public void Shutting_down_a_connection_that_is_gone_or_being_disposed_is_not_an_error()
    {
        // What a stop meets when a client left first (no longer connected) or its connection task is disposing the
        // socket at that moment; either escaping the stop would end the process.
        using var neverConnected = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.Throws<SocketException>(() => neverConnected.Shutdown(SocketShutdown.Both));
        RespServer.ShutDown(neverConnected);

        var disposed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        disposed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => disposed.Shutdown(SocketShutdown.Both));
        RespServer.ShutDown(disposed);
    }

    private static async Task<string> ReceiveLine(Socket client)
    {
        var received = new StringBuilder();
        var buffer = new byte[64];
        while (!received.ToString().EndsWith("\r\n", StringComparison.Ordinal))
        {
            int read = await client.ReceiveAsync(buffer);
            if (read == 0)
                break;
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return received.ToString();
    }
}
