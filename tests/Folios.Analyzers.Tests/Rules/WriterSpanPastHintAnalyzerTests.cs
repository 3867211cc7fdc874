using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.WriterSpanPastHintAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

public class WriterSpanPastHintAnalyzerTests
{
    [Theory]
    [InlineData("var span = writer.GetSpan(); {|FOLIO016:BinaryPrimitives.WriteInt32LittleEndian(span, value)|}; writer.Advance(4);")]
    [InlineData("var span = writer.GetSpan(0); {|FOLIO016:BinaryPrimitives.WriteInt64BigEndian(span.Slice(4), id)|}; writer.Advance(12);")]
    [InlineData("var span = pipe.GetSpan(2); span[0] = 1; span[1] = 2; {|FOLIO016:span[2]|} = 3; pipe.Advance(3);")]
    [InlineData("var memory = writer.GetMemory(4); {|FOLIO016:BinaryPrimitives.WriteInt64LittleEndian(memory.Span, id)|}; writer.Advance(8);")]
    [InlineData("var span = array.GetSpan(HeaderSize - 4); {|FOLIO016:MemoryMarshal.Write(span, id)|}; array.Advance(8);")]
    [InlineData("{|FOLIO016:BinaryPrimitives.WriteInt16LittleEndian(_output.GetSpan(), (short)value)|}; _output.Advance(2);")]
    [InlineData("var span = writer.GetSpan(); {|FOLIO016:span.Slice(0, 4)|}.Clear(); writer.Advance(4);")]
    [InlineData("Span<byte> span = writer.GetSpan(); if (n > 0) {|FOLIO016:BinaryPrimitives.WriteInt32BigEndian(span, value)|};")]
    [InlineData("var span = pipe.GetSpan(); {|FOLIO016:\"\\r\\n\"u8.CopyTo(span)|}; pipe.Advance(2);")]
    [InlineData("var span = pipe.GetSpan(4); span[0] = 1; {|FOLIO016:\"OK\\r\\n\"u8.CopyTo(span.Slice(1))|}; pipe.Advance(5);")]
    public Task Reports_a_write_past_the_hint(string body) => Verify.Analyze(Snippets.WithWriters(body));

    [Theory]
    [InlineData("var span = writer.GetSpan(); BinaryPrimitives.TryWriteInt32LittleEndian(span, value); {|FOLIO016:writer.Advance(4)|};")]
    [InlineData("var span = pipe.GetSpan(4); \"abcd\"u8.TryCopyTo(span); {|FOLIO016:pipe.Advance(8)|};")]
    [InlineData("var memory = array.GetMemory(); TryEncode(memory.Span, out _); {|FOLIO016:array.Advance(sizeof(long))|};")]
    public Task Reports_an_advance_past_the_hint_where_no_write_was(string body) => Verify.Analyze(Snippets.WithWriters(body));

    [Theory]
    [InlineData("var span = writer.GetSpan(8); BinaryPrimitives.WriteInt64LittleEndian(span, id); writer.Advance(8); {|FOLIO016:span|}[0] = 1;")]
    [InlineData("var span = writer.GetSpan(8); var rest = span.Slice(4); writer.Advance(4); BinaryPrimitives.WriteInt32LittleEndian({|FOLIO016:rest|}, value);")]
    [InlineData("var memory = pipe.GetMemory(16); pipe.Advance(0); TryEncode({|FOLIO016:memory|}.Span, out _);")]
    [InlineData("var span = _output.GetSpan(4); if (n > 0) _output.Advance(4); TryEncode({|FOLIO016:span|}, out _);")]
    [InlineData("var mask = writer.GetMemory(4); mask.Span.Fill(0x5A); writer.Advance(4); while (n-- > 0) { var span = writer.GetSpan(); span[0] ^= {|FOLIO016:mask|}.Span[n & 3]; writer.Advance(1); }")]
    public Task Reports_a_span_used_after_Advance(string body) => Verify.Analyze(Snippets.WithWriters(body));

    [Theory]
    [InlineData("var span = writer.GetSpan(4); BinaryPrimitives.WriteInt32LittleEndian(span, value); writer.Advance(4);")]
    [InlineData("var span = writer.GetSpan(HeaderSize); BinaryPrimitives.WriteInt64LittleEndian(span, id); writer.Advance(HeaderSize);")]
    [InlineData("var span = writer.GetSpan(sizeof(long)); MemoryMarshal.Write(span, id); writer.Advance(sizeof(long));")]
    [InlineData("var span = writer.GetSpan(); if (span.Length < 4) return; BinaryPrimitives.WriteInt32LittleEndian(span, value); writer.Advance(4);")]
    [InlineData("var span = writer.GetSpan(); if (span.Length >= 8) { BinaryPrimitives.WriteInt64LittleEndian(span, id); writer.Advance(8); }")]
    [InlineData("var span = writer.GetSpan(); int count = Math.Min(n, span.Length); span.Slice(0, count).Clear(); writer.Advance(count);")]
    [InlineData("var span = writer.GetSpan(16); span.Slice(0, 8).Clear(); span[15] = 1; writer.Advance(16);")]
    [InlineData("for (int i = 0; i < n; i++) { var span = writer.GetSpan(4); BinaryPrimitives.WriteInt32LittleEndian(span, i); writer.Advance(4); }")]
    [InlineData("writer.Write(BitConverter.GetBytes(value)); writer.Write(\"HTTP/1.1 200 OK\\r\\n\"u8);")]
    [InlineData("var span = writer.GetSpan(); if (BinaryPrimitives.TryWriteInt32LittleEndian(span, value)) writer.Advance(4);")]
    [InlineData("var span = writer.GetSpan(); if (!BinaryPrimitives.TryWriteInt32LittleEndian(span, value)) return; writer.Advance(4);")]
    [InlineData("var span = writer.GetSpan(); if (TryEncode(span, out int written)) writer.Advance(written);")]
    [InlineData("var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(n)); int written = Encoding.UTF8.GetBytes(\"x\", span); writer.Advance(written);")]
    [InlineData("var span = writer.GetSpan(n); BinaryPrimitives.WriteInt64LittleEndian(span, id); writer.Advance(8);")]
    [InlineData("var span = writer.GetSpan(); span[0] = 1; writer.Advance(1); if (span.Length > 1) Work();")]
    [InlineData("var span = writer.GetSpan(4); BinaryPrimitives.WriteInt32LittleEndian(span, value); writer.Advance(4); span = writer.GetSpan(8); BinaryPrimitives.WriteInt64LittleEndian(span, id); writer.Advance(8);")]
    [InlineData("var span = writer.GetSpan(8); pipe.Advance(8); span[0] = 1; writer.Advance(1);")]
    [InlineData("var span = writer.GetSpan(); if (span.IsEmpty) return; span[0] = 1; writer.Advance(1);")]
    [InlineData("var span = pipe.GetSpan(5); span[0] = 1; \"OK\\r\\n\"u8.CopyTo(span.Slice(1)); pipe.Advance(5);")]
    [InlineData("var span = pipe.GetSpan(); if (span.Length < 2) return; \"\\r\\n\"u8.CopyTo(span); pipe.Advance(2);")]
    public Task Stays_silent_when_the_span_holds_what_is_written(string body) => Verify.Analyze(Snippets.WithWriters(body));

    /// <summary>The shapes the writers of the codebases in docs/rules/FOLIO016.md "Real code" use, which the rule accepts.</summary>
    [Theory]
    [InlineData("var span = writer.GetSpan(0); if (!TryEncode(span, out int written)) { writer.Advance(0); span = writer.GetSpan(Math.Max(span.Length + 1, 64)); if (!TryEncode(span, out written)) return; } writer.Advance(written);")]
    [InlineData("var span = _output.GetSpan(1); if (span.Length >= Encoding.UTF8.GetMaxByteCount(n)) _output.Advance(Encoding.UTF8.GetBytes(\"text\", span)); else Work();")]
    [InlineData("var span = writer.GetSpan(HeaderSize); BinaryPrimitives.WriteInt64LittleEndian(span, id); writer.Advance(5);")]
    [InlineData("Span<byte> span = writer.GetSpan(); span[0] = (byte)value; writer.Advance(1);")]
    [InlineData("var span = writer.GetSpan(2); span[0] = (byte)'\\r'; span[1] = (byte)'\\n'; writer.Advance(2);")]
    [InlineData("while (n > 0) { var span = pipe.GetSpan(5); int used = Math.Min(n, span.Length); span.Slice(0, used).Fill((byte)' '); pipe.Advance(used); n -= used; }")]
    public Task Stays_silent_on_the_writers_of_real_codebases(string body) => Verify.Analyze(Snippets.WithWriters(body));

    /// <summary>One mistake, one diagnostic: the writes past the hint and the Advance that follows them are reported once, at the first write.</summary>
    [Fact]
    public Task Reports_one_span_written_past_its_hint_once() => Verify.Analyze(Snippets.WithWriters("""
        var span = writer.GetSpan();
        {|FOLIO016:BinaryPrimitives.WriteInt32LittleEndian(span, value)|};
        BinaryPrimitives.WriteInt32LittleEndian(span.Slice(4), value);
        writer.Advance(8);
        """));

    [Fact]
    public Task Follows_each_span_of_a_lambda_on_its_own() => Verify.Analyze(Snippets.WithWriters("""
        Action<IBufferWriter<byte>> write = w =>
        {
            var span = w.GetSpan();
            {|FOLIO016:BinaryPrimitives.WriteInt32LittleEndian(span, 1)|};
            w.Advance(4);
        };
        write(writer);
        """));

    [Fact]
    public Task A_writer_of_the_users_own_is_a_writer() => Verify.Analyze(Snippets.WithWriters("var sink = new Sink(); var span = sink.GetSpan(); {|FOLIO016:BinaryPrimitives.WriteInt32LittleEndian(span, value)|}; sink.Advance(4);", """
        sealed class Sink : IBufferWriter<byte>
        {
            private byte[] _buffer = new byte[16];
            public void Advance(int count) { }
            public Memory<byte> GetMemory(int sizeHint = 0) => _buffer;
            public Span<byte> GetSpan(int sizeHint = 0) => _buffer;
        }
        """));

    [Fact]
    public Task A_pragma_silences_the_rule() => Verify.Analyze(Snippets.WithWriters("""
        var span = writer.GetSpan();
        #pragma warning disable FOLIO016
        BinaryPrimitives.WriteInt32LittleEndian(span, value);
        #pragma warning restore FOLIO016
        writer.Advance(4);
        """));
}
