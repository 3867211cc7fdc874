using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.ReadNotAdvancedAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

public class ReadNotAdvancedAnalyzerTests
{
    [Theory]
    [InlineData("var result = await {|FOLIO015:reader.ReadAsync()|}; if (result.Buffer.IsEmpty) return; reader.AdvanceTo(result.Buffer.End);")]
    [InlineData("var result = await {|FOLIO015:reader.ReadAsync()|}; var buffer = result.Buffer; if (!buffer.IsEmpty) reader.AdvanceTo(buffer.End);")]
    [InlineData("var first = await {|FOLIO015:reader.ReadAsync()|}; var second = await reader.ReadAsync(); reader.AdvanceTo(second.Buffer.End);")]
    [InlineData("await {|FOLIO015:reader.ReadAsync()|};")]
    [InlineData("if ({|FOLIO015:reader.TryRead(out var result)|}) { Use(result.Buffer); }")]
    [InlineData("while (true) { var result = await {|FOLIO015:reader.ReadAsync()|}; if (result.Buffer.Length < 4) continue; reader.AdvanceTo(result.Buffer.End); }")]
    [InlineData("var result = await {|FOLIO015:_input.ReadAtLeastAsync(4)|}.ConfigureAwait(false); Use(result.Buffer);")]
    public Task Reports_a_read_not_advanced_on_some_path(string body) => Verify.Analyze(Snippets.WithPipes(body));

    [Theory]
    [InlineData("while (true) { var result = await reader.ReadAsync(); var buffer = result.Buffer; while (TryParse(ref buffer, out var m)) Process(m); reader.AdvanceTo(buffer.Start, buffer.End); if (result.IsCompleted) break; }")]
    [InlineData("if (!reader.TryRead(out var result)) return; Use(result.Buffer); reader.AdvanceTo(result.Buffer.End);")]
    [InlineData("while (reader.TryRead(out var result)) { Use(result.Buffer); reader.AdvanceTo(result.Buffer.End); }")]
    [InlineData("var result = await reader.ReadAsync(); if (result.IsCompleted) { reader.Complete(); return; } reader.AdvanceTo(result.Buffer.End);")]
    [InlineData("var result = await reader.ReadAsync(); Use(result.Buffer); reader.AdvanceTo(result.Buffer.End);")]
    [InlineData("var result = await reader.ReadAsync(); try { Use(result.Buffer); } finally { reader.AdvanceTo(result.Buffer.End); }")]
    [InlineData("var result = await reader.ReadAsync(); Consume(reader, result);")]
    public Task Stays_silent_when_every_read_is_advanced_or_handed_on(string body) =>
        Verify.Analyze(Snippets.WithPipes(body, "static void Consume(PipeReader reader, ReadResult result) => reader.AdvanceTo(result.Buffer.End);"));

    [Theory]
    [InlineData("async ValueTask<ReadResult> Next(PipeReader reader) { var result = await reader.ReadAsync(); return result; }")]
    [InlineData("ValueTask<ReadResult> Next(PipeReader reader) => reader.ReadAsync();")]
    public Task Stays_silent_when_members_hand_the_read_out(string member) => Verify.Analyze(Snippets.WithPipes("", member));

    // Shapes met in real code (docs/rules/FOLIO014.md, "Real code"): a byte read that skips the advance when the
    // buffer is empty, and a header parse that leaves on a canceled read or a failed parse.
    [Theory]
    [InlineData("ReadOnlySequence<byte> buffer; if ({|FOLIO015:_input.TryRead(out var result)|} && !(buffer = result.Buffer).IsEmpty) { Process(buffer.First.Span[0]); _input.AdvanceTo(buffer.GetPosition(1)); return; } var next = await _input.ReadAsync(); _input.AdvanceTo(next.Buffer.End);")]
    [InlineData("var result = await {|FOLIO015:reader.ReadAtLeastAsync(4)|}; if (!result.IsCanceled) { var buffer = result.Buffer; if (TryParse(ref buffer, out var length)) { reader.AdvanceTo(buffer.Start); Process(length); } }")]
    public Task Reports_the_shapes_found_in_real_code(string body) => Verify.Analyze(Snippets.WithPipes(body));

    /// <summary>
    /// icerpc's QUIC reader: a reader of its own that wraps another reads from itself and advances the one it wraps. A
    /// read from itself advanced nowhere, or only through another reader it does not hold, is still reported.
    /// </summary>
    [Theory]
    [InlineData("if (TryRead(out ReadResult result)) { if (result.Buffer.Length >= minimumSize || result.IsCompleted) return result; _inner.AdvanceTo(result.Buffer.Start); } return await _inner.ReadAtLeastAsync(minimumSize, token);")]
    [InlineData("if ({|FOLIO015:TryRead(out ReadResult result)|}) { if (result.Buffer.Length >= minimumSize || result.IsCompleted) return result; } return await _inner.ReadAtLeastAsync(minimumSize, token);")]
    [InlineData("if ({|FOLIO015:TryRead(out ReadResult result)|}) { if (result.Buffer.Length >= minimumSize || result.IsCompleted) return result; other.AdvanceTo(result.Buffer.Start); } return await _inner.ReadAtLeastAsync(minimumSize, token);")]
    public Task Follows_a_reader_that_wraps_another_into_the_reader_it_wraps(string body) => Verify.Analyze(Snippets.WithPipes("", $$"""
        sealed class Wrapper(PipeReader inner, PipeReader other) : PipeReader
        {
            private readonly PipeReader _inner = inner;
            public override void AdvanceTo(SequencePosition consumed) => _inner.AdvanceTo(consumed);
            public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => _inner.AdvanceTo(consumed, examined);
            public override void CancelPendingRead() => _inner.CancelPendingRead();
            public override void Complete(Exception? exception = null) => _inner.Complete(exception);
            public override ValueTask<ReadResult> ReadAsync(System.Threading.CancellationToken token = default) => _inner.ReadAsync(token);
            public override bool TryRead(out ReadResult result) => _inner.TryRead(out result);
            protected override async ValueTask<ReadResult> ReadAtLeastAsyncCore(int minimumSize, System.Threading.CancellationToken token)
            {
                {{body}}
            }
        }
        """));

    [Theory]
    [InlineData("var result = await _input.ReadAsync(); Consume(result);")]
    [InlineData("Forward(await _pipe.Reader.ReadAsync());")]
    [InlineData("var input = _pipe.Reader; try { while (true) { var result = await input.ReadAsync(); if (result.IsCompleted) break; input.AdvanceTo(result.Buffer.End); } } finally { _pipe.Reader.Complete(); }")]
    [InlineData("if (_input.TryRead(out var result)) { Consume(result); return; }")]
    [InlineData("var pending = _input.ReadAsync(); if (pending.IsCompleted) { Consume(pending.Result); return; } _awaiter = pending.GetAwaiter();")]
    [InlineData("var pending = this._input.ReadAsync(); if (pending.IsCompleted) { _last = pending.Result; return; } await this.ConsumeLater(pending);")]
    public Task Stays_silent_when_a_method_of_the_readers_owner_takes_the_read(string body) =>
        Verify.Analyze(Snippets.WithPipes(body, """
            readonly Pipe _pipe = new();
            ReadResult _last;
            System.Runtime.CompilerServices.ValueTaskAwaiter<ReadResult> _awaiter;
            void Consume(ReadResult result) => _input.AdvanceTo(result.Buffer.End);
            void Forward(ReadResult result) => _pipe.Reader.AdvanceTo(result.Buffer.End);
            async Task ConsumeLater(ValueTask<ReadResult> pending) => Consume(await pending);
            """));

    [Theory]
    [InlineData("var result = await {|FOLIO015:reader.ReadAsync()|}; Inspect(result);")]
    [InlineData("var result = await {|FOLIO015:_input.ReadAsync()|}; System.Console.WriteLine(result);")]
    [InlineData("var pending = {|FOLIO015:_input.ReadAsync()|}; if (pending.IsCompleted) Use(pending.Result.Buffer);")]
    [InlineData("var input = _input; try { while (true) { var result = await {|FOLIO015:input.ReadAsync()|}; if (result.Buffer.IsEmpty) break; input.AdvanceTo(result.Buffer.End); } } finally { reader.Complete(); }")]
    public Task Reports_a_read_no_owner_of_the_reader_takes(string body) =>
        Verify.Analyze(Snippets.WithPipes(body, "void Inspect(ReadResult result) { }"));

    [Theory]
    [InlineData("async ValueTask<ReadOnlySequence<byte>> Payload(PipeReader payload) { var result = await payload.ReadAtLeastAsync(int.MaxValue); if (result.IsCanceled) throw new InvalidOperationException(); return result.IsCompleted ? result.Buffer : throw new ArgumentException(); }")]
    [InlineData("async ValueTask<ReadResult> Segment(PipeReader reader, int size) { var result = await reader.ReadAtLeastAsync(size); return result.Buffer.Length == size ? result : new ReadResult(result.Buffer.Slice(0, size), false, false); }")]
    [InlineData("ReadOnlySequence<byte> _pending; async Task Keep(PipeReader reader) { var result = await reader.ReadAsync(); _pending = result.Buffer; }")]
    [InlineData("bool TryTake(PipeReader reader, out ReadOnlySequence<byte> buffer) { if (reader.TryRead(out var result)) { buffer = result.Buffer; return true; } buffer = default; return false; }")]
    [InlineData("void Fields(Pipe pipe) { _ = pipe.Reader.TryRead(out ReadResult result); Use(result.Buffer); pipe.Reader.AdvanceTo(result.Buffer.Start); }")]
    public Task Stays_silent_when_the_reads_buffer_is_handed_out(string member) => Verify.Analyze(Snippets.WithPipes("", member));

    [Theory]
    [InlineData("async ValueTask<long> Length(PipeReader payload) { var result = await {|FOLIO015:payload.ReadAsync()|}; return result.Buffer.Length; }")]
    [InlineData("async ValueTask<ReadOnlySequence<byte>> Copy(PipeReader reader) { var result = await {|FOLIO015:reader.ReadAsync()|}; return new ReadOnlySequence<byte>(result.Buffer.ToArray()); }")]
    [InlineData("void Peek(Pipe pipe) { _ = {|FOLIO015:pipe.Reader.TryRead(out ReadResult result)|}; Use(result.Buffer); }")]
    public Task Reports_a_read_whose_buffer_does_not_leave(string member) => Verify.Analyze(Snippets.WithPipes("", member));

    [Fact]
    public Task Stays_silent_when_a_wrapping_reader_narrows_the_read_it_hands_out() => Verify.Analyze(Snippets.WithPipes("", """
        async ValueTask<ReadResult> Narrow(PipeReader inner, long limit)
        {
            var result = await inner.ReadAsync();
            if (result.Buffer.Length > limit)
                result = new ReadResult(result.Buffer.Slice(0, limit), result.IsCanceled, isCompleted: true);
            return result;
        }
        """));

    [Fact]
    public Task Reports_a_read_replaced_by_a_result_not_built_over_it() => Verify.Analyze(Snippets.WithPipes("", """
        async ValueTask<ReadResult> Narrow(PipeReader inner, long limit)
        {
            var result = await {|FOLIO015:inner.ReadAsync()|};
            if (result.Buffer.Length > limit)
                result = new ReadResult(default, result.IsCanceled, isCompleted: true);
            return result;
        }
        """));

    [Fact]
    public Task A_pragma_silences_the_rule() => Verify.Analyze(Snippets.WithPipes("""
        #pragma warning disable FOLIO015
        await reader.ReadAsync();
        #pragma warning restore FOLIO015
        """));
}
