using System.Diagnostics;

namespace Folios.Resp.Tests;

/// <summary>Runs only where redis-tools is installed: skipped, and says so, elsewhere.</summary>
public sealed class RedisCliFactAttribute : FactAttribute
{
    public RedisCliFactAttribute()
    {
        if (RedisCliTests.Tool("redis-cli") is null)
            Skip = "redis-tools (redis-cli) is not installed.";
    }
}

/// <summary>Every supported command through the real redis-cli, against the server in-process on a port of its own.</summary>
public sealed class RedisCliTests : IAsyncDisposable
{
    private readonly PageAllocator _network = new(new PageAllocatorOptions { Name = "cli-network", ArenaBytes = 8 << 20 });
    private readonly PageAllocator _storage = new(new PageAllocatorOptions { Name = "cli-store", ArenaBytes = 8 << 20 });
    private readonly FolioMemoryPool _pool;
    private readonly KeyValueStore _store;
    private readonly RespServer _server;

    public RedisCliTests()
    {
        _pool = new FolioMemoryPool(_network, owner: "cli");
        _store = new KeyValueStore(_storage);
        _server = RespServer.Start(0, _pool, new RespCommands(_store), new RespLimits(), TextWriter.Null);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Assert.Equal((0L, 0L, 0L), (_pool.Statistics.Outstanding, _pool.Statistics.UseAfterReturn, _pool.Statistics.DoubleReturns));
        _store.Dispose();
        _pool.Dispose();
        _network.Dispose();
        _storage.Dispose();
    }

    [RedisCliFact]
    public void Every_supported_command_answers_redis_cli_as_Redis_would()
    {
        Assert.Equal("PONG", Cli("PING"));
        Assert.Equal("hello world", Cli("PING", "hello world"));
        Assert.Equal("OK", Cli("SET", "greeting", "héllo\r\nthere"));
        Assert.Equal("héllo\r\nthere", Cli("GET", "greeting"));
        Assert.Equal("", Cli("GET", "nothing"));
        Assert.Equal("1", Cli("INCR", "visits"));
        Assert.Equal("2", Cli("INCR", "visits"));
        Assert.Equal("ERR value is not an integer or out of range", Cli("INCR", "greeting"));
        Assert.Equal("héllo\r\nthere\n\n2", Cli("MGET", "greeting", "nothing", "visits"));
        Assert.Equal("OK", Cli("SET", "session", "x", "EX", "100"));
        // A second's rounding: a slow machine may take more than half a second between two redis-cli runs.
        Assert.InRange(int.Parse(Cli("TTL", "session")), 95, 100);
        Assert.Equal("-1", Cli("TTL", "greeting"));
        Assert.Equal("1", Cli("EXPIRE", "greeting", "50"));
        Assert.InRange(int.Parse(Cli("TTL", "greeting")), 45, 50);
        Assert.Equal("0", Cli("EXPIRE", "nothing", "50"));
        Assert.Equal("2", Cli("DEL", "greeting", "visits", "nothing"));
        Assert.Equal("-2", Cli("TTL", "greeting"));
        Assert.Equal("", Cli("GET", "visits"));
        Assert.Equal("ERR unknown command 'HGETALL'", Cli("HGETALL", "h"));
        Assert.Equal("ERR wrong number of arguments for 'incr' command", Cli("INCR"));
    }

    [RedisCliFact]
    public void A_value_of_many_pages_round_trips_through_redis_cli()
    {
        string value = string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('a' + (i % 26))));
        Assert.Equal("OK", Cli("SET", "long", value));
        Assert.Equal(value, Cli("GET", "long"));
        Assert.Equal(value + "\n" + value, Cli("MGET", "long", "long"));
    }

    internal static string? Tool(string name) =>
        new[] { "/usr/bin", "/usr/local/bin", "/bin" }.Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    /// <summary>redis-cli with the arguments as they are (no shell), its output without the final newlines (one after a
    /// reply, two after an error).</summary>
    private string Cli(params string[] arguments)
    {
        var start = new ProcessStartInfo(Tool("redis-cli")!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", _server.Port.ToString() }.Concat(arguments))
            start.ArgumentList.Add(argument);
        using var cli = Process.Start(start)!;
        string output = cli.StandardOutput.ReadToEnd();
        string error = cli.StandardError.ReadToEnd();
        Assert.True(cli.WaitForExit(10_000), "redis-cli did not finish");
        Assert.True(cli.ExitCode == 0, $"redis-cli exited with {cli.ExitCode}: {error}");
        return output.TrimEnd('\n');
    }
}
