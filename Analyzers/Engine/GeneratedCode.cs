using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Folios.Analyzers.Engine;

/// <summary>
/// Every rule leaves generated code alone, and decides so itself. With <see cref="GeneratedCodeAnalysisFlags.None"/>
/// the driver filters each reported diagnostic by its location, and for the first one in a file it walks every token
/// of the file for a GeneratedCode attribute, which on code with many findings costs more than the rules. The driver
/// already tells each rule's per-file callback whether the file is generated (file name, auto-generated header,
/// editorconfig <c>generated_code</c>); <c>[GeneratedCode]</c> on a member or a type around it is asked of the
/// member's symbol before its first report.
/// </summary>
internal static class GeneratedCode
{
    /// <summary>The driver calls the rules for generated code too; <see cref="RuleBlock"/> skips it.</summary>
    public const GeneratedCodeAnalysisFlags SkippedByTheRules = GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics;

    /// <summary>Whether the symbol, or a type around it, carries <c>[GeneratedCode]</c>. Asked only before a report.</summary>
    public static bool IsMarked(ISymbol? symbol, Compilation compilation)
    {
        var attribute = compilation.GetTypeByMetadataName(Names.GeneratedCode.AttributeFullName);
        for (; attribute is not null && symbol is not null and not INamespaceSymbol; symbol = symbol.ContainingSymbol)
        {
            if (FoliosTypes.HasAttribute(symbol, attribute))
                return true;
        }
        return false;
    }
}
