using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.RawPageAccessAnalyzer, Folios.CodeFixes.Rules.RawPageAccessFixer>;

namespace Folios.Analyzers.Tests.Rules;

public class RawPageAccessFixerTests
{
    [Theory]
    [InlineData("var b = {|FOLIO002:buffer.GetFolio(0).Span[n]|};", "var b = buffer.ReadByte(n);")]
    [InlineData("{|FOLIO002:buffer.GetFolio(0).Span[n + 1]|} = 7;", "buffer.WriteByte(n + 1, 7);")]
    [InlineData("var b = {|FOLIO002:buffer.GetFolio(buffer.FolioIndex(n)).Span[buffer.OffsetInFolio(n)]|};", "var b = buffer.ReadByte(n);")]
    [InlineData("var b = {|FOLIO002:buffer.GetFolio(n / allocator.PageSize).Span[n % allocator.PageSize]|};", "var b = buffer.ReadByte(n);")]
    [InlineData("var v = {|FOLIO002:BinaryPrimitives.ReadUInt32LittleEndian(buffer.GetFolio(buffer.FolioIndex(n)).Span.Slice(buffer.OffsetInFolio(n), 4))|};", "var v = buffer.ReadUInt32LittleEndian(n);")]
    [InlineData("var v = {|FOLIO002:BinaryPrimitives.ReadUInt16LittleEndian(buffer.GetFolio(n / 4096).Span.Slice(n % 4096))|};", "var v = buffer.ReadUInt16LittleEndian(n);")]
    [InlineData("{|FOLIO002:BinaryPrimitives.WriteUInt64LittleEndian(buffer.GetFolio(0).Span.Slice(n), 9UL)|};", "buffer.WriteUInt64LittleEndian(n, 9UL);")]
    [InlineData("var v = {|FOLIO002:BinaryPrimitives.ReadUInt32LittleEndian(buffer.GetFolio(0).Span.Slice(4094, 4))|};", "var v = buffer.ReadUInt32LittleEndian(4094);")] // the README's example
    [InlineData("var v = {|FOLIO002:MemoryMarshal.Read<long>(buffer.GetFolio(0).Span.Slice(n))|};", "var v = buffer.Read<long>(n);")]
    [InlineData("{|FOLIO002:buffer.GetFolio(0).Span.Slice(n, 16).CopyTo(destination)|};", "buffer.Read(n, destination.AsSpan(0, 16));")]
    [InlineData("{|FOLIO002:destination.AsSpan().CopyTo(buffer.GetFolio(0).Span.Slice(n))|};", "buffer.Write(n, destination.AsSpan());")]
    public Task Raw_access_becomes_the_helper_at_the_buffer_offset(string body, string expected) =>
        Verify.Fix(Snippets.InMethod(body), Snippets.InMethod(expected));

    [Theory]
    [InlineData("var span = buffer.GetFolio(1).Span; var b = {|FOLIO002:span[n]|};")]
    [InlineData("var b = {|FOLIO002:buffer.GetFolio(2).Span[n]|};")]
    [InlineData("var v = {|FOLIO002:BinaryPrimitives.ReadInt32BigEndian(buffer.GetFolio(0).Span.Slice(n))|};")]
    [InlineData("var b = {|FOLIO002:buffer.GetFolio(buffer.FolioIndex(n)).Span[buffer.OffsetInFolio(n + 1)]|};")]
    [InlineData("{|FOLIO002:buffer.GetFolio(0).Span[n]|}++;")]
    [InlineData("ReadOnlySpan<byte> page = buffer.GetFolio(0).Span; var b = {|FOLIO002:page[n]|};")]
    [InlineData("var m = buffer.GetFolio(0).AsMemory(); var b = {|FOLIO002:m.Span[n]|};")]
    [InlineData("var trailer = buffer.GetFolio(0).Span is {|FOLIO002:[.., 0x55, 0xAA]|};")]
    public Task No_fix_when_the_buffer_offset_cannot_be_recovered(string body) =>
        Verify.Fix(Snippets.InMethod(body), Snippets.InMethod(body));

    [Fact]
    public Task Fix_all_rewrites_every_access_in_the_document() => Verify.Fix(
        Snippets.InMethod("""
            var a = {|FOLIO002:buffer.GetFolio(0).Span[n]|};
                    var b = {|FOLIO002:BinaryPrimitives.ReadUInt32LittleEndian(buffer.GetFolio(0).Span.Slice(n + 4))|};
            """),
        Snippets.InMethod("""
            var a = buffer.ReadByte(n);
                    var b = buffer.ReadUInt32LittleEndian(n + 4);
            """));
}
