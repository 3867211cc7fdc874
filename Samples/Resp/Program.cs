using System.Buffers;
using System.Runtime.InteropServices;
using Folios;
using Folios.Resp;

// dotnet run --project Samples/Resp -c Release -- --port 6380 --pool folios|default [--store-mb 128] [--network-mb 64]
// A Redis-protocol (RESP2) server on 127.0.0.1: GET, SET [EX|PX], DEL, INCR, MGET, EXPIRE, TTL, PING. Values live in
// Folios pages; the connections' buffers come from a FolioMemoryPool (--pool folios) or MemoryPool<byte>.Shared.
if (!Options.TryParse(args, out var options, out string? problem))
{
    Console.Error.WriteLine(problem);
    Console.Error.WriteLine("usage: folios-resp --port PORT --pool folios|default [--store-mb N] [--network-mb N]");
    return 2;
}

using var storeAllocator = new PageAllocator(new PageAllocatorOptions { Name = "resp-store", ArenaBytes = (long)options.StoreMegabytes << 20 });
using var store = new KeyValueStore(storeAllocator);
using var networkAllocator = options.Folios ? new PageAllocator(new PageAllocatorOptions { Name = "resp-network", ArenaBytes = (long)options.NetworkMegabytes << 20 }) : null;
using var folios = networkAllocator is null ? null : new FolioMemoryPool(networkAllocator, owner: "resp");
MemoryPool<byte> pool = folios ?? MemoryPool<byte>.Shared;

var server = RespServer.Start(options.Port, pool, new RespCommands(store), new RespLimits(), Console.Error);
Console.WriteLine($"listening on 127.0.0.1:{server.Port} (pool: {(folios is null ? "default" : "folios")})");

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.TrySetResult();
});
await stop.Task;

await server.DisposeAsync();
if (folios is not null)
{
    var stats = folios.Statistics;
    Console.WriteLine($"folios pool: {stats.Rents} rents ({stats.PageRents} pages, {stats.FolioRents} folios, {stats.MappedRents} mapped), " +
        $"{stats.Outstanding} outstanding, {stats.UseAfterReturn} used after return, {stats.DoubleReturns} double returns");
}
Console.WriteLine($"stopped ({store.Count} keys)");
return 0;

/// <summary>The command line.</summary>
internal sealed record Options(int Port, bool Folios, int StoreMegabytes, int NetworkMegabytes)
{
    public static bool TryParse(string[] args, out Options options, out string? problem)
    {
        options = new Options(-1, true, 128, 64);
        problem = null;
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--port" when int.TryParse(value, out int port) && port is >= 0 and <= 65535:
                    options = options with { Port = port };
                    break;
                case "--pool" when value is "folios" or "default":
                    options = options with { Folios = value == "folios" };
                    break;
                case "--store-mb" when int.TryParse(value, out int store) && store is >= 1 and <= 65536:
                    options = options with { StoreMegabytes = store };
                    break;
                case "--network-mb" when int.TryParse(value, out int network) && network is >= 1 and <= 65536:
                    options = options with { NetworkMegabytes = network };
                    break;
                default:
                    problem = $"bad argument '{args[i]}'{(value is null ? "" : $" '{value}'")}";
                    return false;
            }
            i++;
        }
        if (options.Port < 0)
            problem = "--port is required (0 lets the system choose; the port is printed)";
        return problem is null;
    }
}
