using Folios.Analyzers.Pages;
namespace Folios.Analyzers;

/// <summary>Every rule id, written once: descriptors, fixers and their equivalence keys refer to these.</summary>
internal static class RuleIdentifiers
{
    public const string NoFailAboveOrderOne = "FOLIO001";
    public const string RawCrossPageAccess = "FOLIO002";
    public const string MappingNotUnmapped = "FOLIO003";
    public const string UnmapMisuse = "FOLIO004";
    public const string ContradictoryFlags = "FOLIO005";
    public const string CostlyOrder = "FOLIO006";
    public const string UncheckedAllocation = "FOLIO007";
    public const string PageGeometry = "FOLIO008";
    public const string FolioOrderPolicy = "FOLIO009";
    public const string FirstSegmentAccess = "FOLIO010";
    public const string PooledBufferMisuse = "FOLIO011";
    public const string RentedArrayNotReturned = "FOLIO012";
    public const string RentedSize = "FOLIO013";
    public const string ReadBufferUsedAfterAdvance = "FOLIO014";
    public const string ReadNotAdvanced = "FOLIO015";
    public const string WriterSpanPastHint = "FOLIO016";
}
