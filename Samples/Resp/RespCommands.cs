using System.IO.Pipelines;
using System.Text;

namespace Folios.Resp;

/// <summary>The commands: PING, GET, SET [EX s|PX ms], DEL, INCR, MGET, EXPIRE, TTL (and CONFIG GET and COMMAND,
/// answered as far as redis-benchmark and redis-cli ask). Errors in a command are replies; the connection goes on.</summary>
internal sealed class RespCommands(KeyValueStore store)
{
    /// <summary>A reply this large is sent before the command goes on (MGET of many large values).</summary>
    private const int FlushThreshold = 64 << 10;

    public KeyValueStore Store => store;

    /// <summary>Runs one command, its reply written to <paramref name="output"/> (not flushed: the connection flushes
    /// once per batch of pipelined commands). Only MGET may complete asynchronously.</summary>
    public ValueTask ExecuteAsync(RespArguments arguments, PipeWriter output, CancellationToken cancellationToken)
    {
        // The name is compared before any other argument is read: Span() may reuse the scratch it lies in.
        var name = arguments.Span(0);
        if (Is(name, "MGET"u8))
            return Arity(arguments, output, 2, int.MaxValue, "mget") ? MultiGetAsync(arguments, output, cancellationToken) : default;
        if (Is(name, "GET"u8))
        {
            if (Arity(arguments, output, 2, 2, "get"))
                store.WriteValue(arguments.Span(1), output);
        }
        else if (Is(name, "SET"u8))
        {
            if (Arity(arguments, output, 3, 5, "set"))
                Set(arguments, output);
        }
        else if (Is(name, "INCR"u8))
        {
            if (Arity(arguments, output, 2, 2, "incr"))
                Increment(arguments, output);
        }
        else if (Is(name, "DEL"u8))
        {
            if (Arity(arguments, output, 2, int.MaxValue, "del"))
                Delete(arguments, output);
        }
        else if (Is(name, "PING"u8))
        {
            if (Arity(arguments, output, 1, 2, "ping"))
                Ping(arguments, output);
        }
        else if (Is(name, "EXPIRE"u8))
        {
            if (Arity(arguments, output, 3, 3, "expire"))
                Expire(arguments, output);
        }
        else if (Is(name, "TTL"u8))
        {
            if (Arity(arguments, output, 2, 2, "ttl"))
                RespWriter.WriteInteger(output, Seconds(store.TimeToLive(arguments.Span(1))));
        }
        else if (Is(name, "CONFIG"u8))
        {
            if (Arity(arguments, output, 3, 3, "config"))
                ConfigGet(arguments, output);
        }
        else if (Is(name, "COMMAND"u8))
        {
            RespWriter.WriteArrayHeader(output, 0);
        }
        else
        {
            RespWriter.WriteError(output, $"ERR unknown command '{Printable(name)}'");
        }
        return default;
    }

    private void Set(RespArguments arguments, PipeWriter output)
    {
        long expiresIn = 0;
        if (arguments.Count == 5)
        {
            var option = arguments.Span(3);
            long scale = Is(option, "EX"u8) ? 1000 : Is(option, "PX"u8) ? 1 : 0;
            if (scale == 0)
            {
                RespWriter.WriteError(output, "ERR syntax error");
                return;
            }
            if (!RespNumber.TryParse(arguments.Span(4), out long amount) || amount <= 0 || amount > long.MaxValue / scale / 2)
            {
                RespWriter.WriteError(output, "ERR invalid expire time in 'set' command");
                return;
            }
            expiresIn = amount * scale;
        }
        else if (arguments.Count == 4)
        {
            RespWriter.WriteError(output, "ERR syntax error");
            return;
        }
        if (store.Set(arguments.Span(1), arguments[2], expiresIn))
            RespWriter.WriteSimpleString(output, "OK"u8);
        else
            RespWriter.WriteError(output, "OOM the store's arena is full; the value was not stored");
    }

    private async ValueTask MultiGetAsync(RespArguments arguments, PipeWriter output, CancellationToken cancellationToken)
    {
        RespWriter.WriteArrayHeader(output, arguments.Count - 1);
        for (int i = 1; i < arguments.Count; i++)
        {
            store.WriteValue(arguments.Span(i), output);
            if (output.UnflushedBytes > FlushThreshold)
                await output.FlushAsync(cancellationToken);
        }
    }

    private void Increment(RespArguments arguments, PipeWriter output)
    {
        switch (store.Increment(arguments.Span(1), out long value))
        {
            case IncrementStatus.Done:
                RespWriter.WriteInteger(output, value);
                break;
            case IncrementStatus.Overflow:
                RespWriter.WriteError(output, "ERR increment or decrement would overflow");
                break;
            case IncrementStatus.OutOfMemory:
                RespWriter.WriteError(output, "OOM the store's arena is full; the value was not stored");
                break;
            default:
                RespWriter.WriteError(output, "ERR value is not an integer or out of range");
                break;
        }
    }

    private void Delete(RespArguments arguments, PipeWriter output)
    {
        long deleted = 0;
        for (int i = 1; i < arguments.Count; i++)
        {
            if (store.Delete(arguments.Span(i)))
                deleted++;
        }
        RespWriter.WriteInteger(output, deleted);
    }

    private static void Ping(RespArguments arguments, PipeWriter output)
    {
        if (arguments.Count == 1)
            RespWriter.WriteSimpleString(output, "PONG"u8);
        else
            RespWriter.WriteBulk(output, arguments[1]);
    }

    private void Expire(RespArguments arguments, PipeWriter output)
    {
        if (!RespNumber.TryParse(arguments.Span(2), out long seconds))
            RespWriter.WriteError(output, "ERR value is not an integer or out of range");
        else if (seconds > long.MaxValue / 2000)
            RespWriter.WriteError(output, "ERR invalid expire time in 'expire' command");
        else
            RespWriter.WriteInteger(output, store.Expire(arguments.Span(1), seconds * 1000) ? 1 : 0);
    }

    /// <summary>CONFIG GET of the two settings redis-benchmark asks for: nothing is saved to disk (<c>save ""</c>,
    /// <c>appendonly no</c>); any other name matches nothing.</summary>
    private static void ConfigGet(RespArguments arguments, PipeWriter output)
    {
        if (!Is(arguments.Span(1), "GET"u8))
        {
            RespWriter.WriteError(output, "ERR only CONFIG GET is supported");
            return;
        }
        var parameter = arguments.Span(2);
        bool save = Is(parameter, "save"u8);
        if (!save && !Is(parameter, "appendonly"u8))
        {
            RespWriter.WriteArrayHeader(output, 0);
            return;
        }
        RespWriter.WriteArrayHeader(output, 2);
        RespWriter.WriteBulk(output, arguments[2]);
        RespWriter.WriteBulk(output, save ? ""u8 : "no"u8);
    }

    /// <summary>TTL's answer: -2 and -1 as they are, else milliseconds rounded to seconds.</summary>
    private static long Seconds(long milliseconds) => milliseconds < 0 ? milliseconds : (milliseconds + 500) / 1000;

    private static bool Arity(RespArguments arguments, PipeWriter output, int min, int max, string command)
    {
        if (arguments.Count >= min && arguments.Count <= max)
            return true;
        RespWriter.WriteError(output, $"ERR wrong number of arguments for '{command}' command");
        return false;
    }

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> command) => Ascii.EqualsIgnoreCase(name, command);

    /// <summary>An echoed command name: printable ASCII, at most 64 characters.</summary>
    private static string Printable(ReadOnlySpan<byte> name)
    {
        var text = new StringBuilder();
        foreach (byte b in name[..Math.Min(name.Length, 64)])
            text.Append(b is >= 0x20 and < 0x7F and not (byte)'\'' ? (char)b : '?');
        return text.ToString();
    }
}
