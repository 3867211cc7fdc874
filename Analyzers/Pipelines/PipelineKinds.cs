using Folios.Analyzers.Engine;

namespace Folios.Analyzers.Pipelines;

/// <summary>The Pipelines rules' vocabulary, and their kind of resource for one compilation.</summary>
internal static class PipelineKinds
{
    /// <summary>Where code reads from a pipe (<c>.ReadAsync(</c>, <c>.ReadAtLeastAsync(</c>, <c>.TryRead(</c>): the places of FOLIO014 and FOLIO015.</summary>
    public static readonly Vocabulary Reads = Vocabulary.OfWords("pipe reads",
        static _ => [Names.PipeReader.ReadAsync, Names.PipeReader.ReadAtLeastAsync, Names.PipeReader.TryRead],
        static (text, start, end) => TextScan.Before(text, start) == '.' && TextScan.After(text, end) == '(');

    /// <summary>The reads of a compilation that has System.IO.Pipelines, else null.</summary>
    public static ReadResultKind? Of(CompilationFacts facts) => facts.Framework.PipeReader is null ? null : new ReadResultKind(facts.Framework);
}
