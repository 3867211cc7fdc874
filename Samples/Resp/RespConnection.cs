using System.Buffers;
using System.IO.Pipelines;

namespace Folios.Resp;

/// <summary>
/// One client: reads commands from the pipe, runs each complete one, and flushes the replies of each batch at once
/// (pipelined clients send many commands per read). Written the way the Pipelines rules say: the read buffer (and
/// every argument sliced from it) is used only before <see cref="PipeReader.AdvanceTo(SequencePosition, SequencePosition)"/>,
/// every read is advanced on every path, and a command that is not all there is left unconsumed and waited for with
/// <see cref="PipeReader.ReadAtLeastAsync"/> (so a large command is not parsed again for every packet).
/// </summary>
internal static class RespConnection
{
    /// <summary>Serves until the client closes, sends something malformed (an error reply, then close) or
    /// <paramref name="cancellationToken"/> fires. Completes both pipes.</summary>
    public static async Task RunAsync(PipeReader input, PipeWriter output, RespCommands commands, RespLimits limits, CancellationToken cancellationToken)
    {
        var arguments = new RespArguments();
        long needed = 1;
        try
        {
            while (true)
            {
                var result = await input.ReadAtLeastAsync((int)needed, cancellationToken);
                var buffer = result.Buffer;
                var consumed = buffer.Start;
                string? error = null;
                try
                {
                    while (true)
                    {
                        var status = Parse(buffer.Slice(consumed), arguments, limits, out var end, out needed, out error);
                        if (status != ParseStatus.Command)
                            break;
                        consumed = end;
                        if (arguments.Count > 0)
                            await commands.ExecuteAsync(arguments, output, cancellationToken);
                    }
                }
                finally
                {
                    arguments.Items.Clear();
                    input.AdvanceTo(consumed, buffer.End);
                }
                if (error is not null)
                    RespWriter.WriteError(output, "ERR " + error);
                var flush = await output.FlushAsync(cancellationToken);
                // A client that closed in the middle of a command leaves it unanswered, as Redis does.
                if (error is not null || result.IsCompleted || result.IsCanceled || flush.IsCompleted)
                    break;
            }
        }
        finally
        {
            await input.CompleteAsync();
            await output.CompleteAsync();
        }
    }

    /// <summary>Parses the next command of <paramref name="unread"/>; on success <paramref name="end"/> is the position
    /// after it (in the caller's buffer: a slice shares its positions).</summary>
    private static ParseStatus Parse(ReadOnlySequence<byte> unread, RespArguments arguments, RespLimits limits,
        out SequencePosition end, out long needed, out string? error)
    {
        var reader = new SequenceReader<byte>(unread);
        var status = RespParser.TryParse(ref reader, arguments.Items, limits, out needed, out error);
        end = reader.Position;
        return status;
    }
}
