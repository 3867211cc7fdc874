using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Folios.Resp.Tests;

/// <summary>A connection served in-process over pipes whose buffers come from a FolioMemoryPool: replies, pipelining,
/// bad input, and the pool's accounting.</summary>
public sealed class ConnectionTests : IDisposable
{
    private readonly PageAllocator _network = new(new PageAllocatorOptions { Name = "test-network", ArenaBytes = 8 << 20 });
    private readonly PageAllocator _storage = new(new PageAllocatorOptions { Name = "test-store", ArenaBytes = 8 << 20 });
    private readonly FolioMemoryPool _pool;
    private readonly KeyValueStore _store;

    public ConnectionTests()
    {
        _pool = new FolioMemoryPool(_network, owner: "test");
        _store = new KeyValueStore(_storage);
    }

    public void Dispose()
    {
        _store.Dispose();
        _pool.Dispose();
        _network.Dispose();
        _storage.Dispose();
    }

    [Fact]
    public async Task Every_command_answers_as_Redis_does()
    {
        string replies = await Converse(
            "PING\r\n" + Command("PING", "hi") + Command("SET", "k", "v1") + Command("GET", "k") + Command("GET", "missing") +
            Command("INCR", "n") + Command("INCR", "n") + Command("INCR", "k") + Command("MGET", "k", "missing", "n") +
            Command("DEL", "k", "n", "missing") + Command("SET", "t", "x", "EX", "100") + Command("TTL", "t") + Command("TTL", "k") +
            Command("EXPIRE", "t", "0") + Command("GET", "t") + Command("FLY", "me") + Command("GET") + Command("SET", "a", "b", "NX") +
            Command("CONFIG", "GET", "save") + Command("SET", "big", "9223372036854775807") + Command("INCR", "big"));
        Assert.Equal(
            "+PONG\r\n$2\r\nhi\r\n+OK\r\n$2\r\nv1\r\n$-1\r\n:1\r\n:2\r\n-ERR value is not an integer or out of range\r\n" +
            "*3\r\n$2\r\nv1\r\n$-1\r\n$1\r\n2\r\n:2\r\n+OK\r\n:100\r\n:-2\r\n:1\r\n$-1\r\n-ERR unknown command 'FLY'\r\n" +
            "-ERR wrong number of arguments for 'get' command\r\n-ERR syntax error\r\n*2\r\n$4\r\nsave\r\n$0\r\n\r\n+OK\r\n" +
            "-ERR increment or decrement would overflow\r\n", replies);
    }

    [Fact]
    public async Task Pipelined_commands_sent_one_byte_per_write_get_the_same_replies_as_sent_at_once()
    {
        string request = Command("SET", "key", "a\r\nvalue") + Command("INCR", "counter") + Command("GET", "key") + "PING\r\n" + Command("MGET", "key", "counter");
        string atOnce = await Converse(request);
        _store.Delete("counter"u8);
        string dripped = await Converse(request, bytesPerWrite: 1);
        Assert.Equal(atOnce, dripped);
        Assert.Equal("+OK\r\n:1\r\n$8\r\na\r\nvalue\r\n+PONG\r\n*2\r\n$8\r\na\r\nvalue\r\n$1\r\n1\r\n", atOnce);
    }

    [Fact]
    public async Task Values_of_many_pages_go_in_and_out_whole_and_the_pool_gets_every_page_back()
    {
        var value = new string('v', 300_000) + "end";
        string replies = await Converse(Command("SET", "large", value) + Command("GET", "large") + Command("MGET", "large", "large", "large"));
        string bulk = $"${value.Length}\r\n{value}\r\n";
        Assert.Equal("+OK\r\n" + bulk + "*3\r\n" + bulk + bulk + bulk, replies);
        var stats = _pool.Statistics;
        Assert.True(stats.PageRents > 4 * 300_000 / 4096, $"{stats.PageRents} pages");
        Assert.Equal((0L, 0L, 0L), (stats.Outstanding, stats.UseAfterReturn, stats.DoubleReturns));
    }

    [Theory]
    [InlineData("*1\r\n$-1\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$999999999999\r\n", "invalid bulk length")]
    [InlineData("*99999999\r\n", "invalid multibulk length")]
    [InlineData("*2\r\n$3\r\nGET\r\n:1\r\n", "expected '$', got ':'")]
    [InlineData("*1\r\n$4\r\nPINGXX", "bulk string not followed by CRLF")]
    public async Task Malformed_input_gets_a_protocol_error_and_the_connection_is_closed(string bad, string message)
    {
        // The command before is answered; nothing after the bad one is read.
        string replies = await Converse("PING\r\n" + bad + "PING\r\n");
        Assert.Equal($"+PONG\r\n-ERR Protocol error: {message}\r\n", replies);
    }

    [Fact]
    public async Task A_huge_announced_value_is_refused_before_it_is_sent_and_nothing_is_buffered_for_it()
    {
        long rentsBefore = _pool.Statistics.Rents;
        string replies = await Converse("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4194305\r\n");
        Assert.Equal("-ERR Protocol error: invalid bulk length\r\n", replies);
        Assert.True(_pool.Statistics.Rents - rentsBefore < 4, "a few pages at most: the request and the reply");
    }

    [Fact]
    public async Task A_client_that_closes_in_the_middle_of_a_command_gets_no_reply_and_the_connection_ends()
    {
        Assert.Equal("+PONG\r\n", await Converse("PING\r\n*2\r\n$3\r\nGET\r\n$5\r\nab"));
        Assert.Equal(0, _pool.Statistics.Outstanding);
    }

    [Fact]
    public async Task A_full_store_answers_OOM_and_keeps_serving()
    {
        using var tiny = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 4 * 4096, ReservePages = 0 });
        using var store = new KeyValueStore(tiny);
        string value = new('x', 3 * 4096);
        string replies = await Converse(Command("SET", "a", value) + Command("SET", "b", value) + Command("GET", "a") + "PING\r\n", store: store);
        Assert.Equal($"+OK\r\n-OOM the store's arena is full; the value was not stored\r\n${value.Length}\r\n{value}\r\n+PONG\r\n", replies);
    }

    /// <summary>Runs one connection over in-memory pipes from the pool: the request goes in (in writes of
    /// <paramref name="bytesPerWrite"/> bytes), the input ends, and every reply comes back.</summary>
    private async Task<string> Converse(string request, int bytesPerWrite = int.MaxValue, KeyValueStore? store = null)
    {
        var input = new Pipe(new PipeOptions(pool: _pool, pauseWriterThreshold: 0));
        var output = new Pipe(new PipeOptions(pool: _pool, pauseWriterThreshold: 0));
        var serving = RespConnection.RunAsync(input.Reader, output.Writer, new RespCommands(store ?? _store), new RespLimits(), CancellationToken.None);
        var bytes = Encoding.Latin1.GetBytes(request);
        for (int offset = 0; offset < bytes.Length; offset += bytesPerWrite)
        {
            var result = await input.Writer.WriteAsync(bytes.AsMemory(offset, Math.Min(bytesPerWrite, bytes.Length - offset)));
            if (result.IsCompleted)
                break;
        }
        await input.Writer.CompleteAsync();
        await serving;

        var replies = new StringBuilder();
        while (true)
        {
            var read = await output.Reader.ReadAsync();
            foreach (var segment in read.Buffer)
                replies.Append(Encoding.Latin1.GetString(segment.Span));
            output.Reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
                break;
        }
        await output.Reader.CompleteAsync();
        return replies.ToString();
    }

    private static string Command(params string[] parts) =>
        $"*{parts.Length}\r\n" + string.Concat(parts.Select(part => $"${Encoding.Latin1.GetByteCount(part)}\r\n{part}\r\n"));
}
