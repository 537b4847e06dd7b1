<?xml version="1.0" encoding="UTF-8"?>
<!--
  MARC21 bibliographic record (MARCXML, as produced by the DOM filter's
  <marc> input step) -> Zebra indexing document.

  Index names are the Bib-1 names from bib1.att, so the usual numeric use
  attributes work: 1016 Any, 4 Title, 1003 Author, 21 Subject-heading,
  7 ISBN, 8 ISSN, 30 Date, 31 Date-of-publication, 54 Code-language,
  12 Local-number, 1018 Publisher, 5 Title-series.

  880 (alternate graphic representation) fields are indexed like the field
  named in their $6 linkage, so vernacular titles/authors/subjects are found
  through the same access points.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:m="http://www.loc.gov/MARC21/slim"
    xmlns:z="http://indexdata.com/zebra-2.0"
    exclude-result-prefixes="m">

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:template match="text()"/>

  <xsl:template match="/">
    <xsl:apply-templates select="m:record | m:collection/m:record"/>
  </xsl:template>

  <xsl:template match="m:record">
    <z:record z:type="update">
      <xsl:apply-templates select="m:controlfield[@tag='001']"/>
      <xsl:apply-templates select="m:controlfield[@tag='008']"/>
      <xsl:apply-templates select="m:datafield"/>
    </z:record>
  </xsl:template>

  <!-- 001: control number (LCCN for LoC records) -->
  <xsl:template match="m:controlfield[@tag='001']">
    <z:index name="Local-number:0">
      <xsl:value-of select="translate(normalize-space(.), ' ', '')"/>
    </z:index>
    <z:index name="Local-number:w">
      <xsl:value-of select="."/>
    </z:index>
  </xsl:template>

  <!-- 008: date 1 (07-10) and language (35-37) -->
  <xsl:template match="m:controlfield[@tag='008']">
    <xsl:variable name="year" select="substring(., 8, 4)"/>
    <xsl:if test="string-length($year) = 4 and translate($year, '0123456789', '') = ''">
      <z:index name="Date-of-publication:n Date-of-publication:w Date:n Date:w">
        <xsl:value-of select="$year"/>
      </z:index>
    </xsl:if>
    <xsl:variable name="lang" select="normalize-space(substring(., 36, 3))"/>
    <xsl:if test="string-length($lang) = 3">
      <z:index name="Code-language:w">
        <xsl:value-of select="$lang"/>
      </z:index>
    </xsl:if>
  </xsl:template>

  <xsl:template match="m:datafield">
    <!-- effective tag: an 880 counts as the field its $6 links to -->
    <xsl:variable name="tag">
      <xsl:choose>
        <xsl:when test="@tag = '880'">
          <xsl:value-of select="substring(m:subfield[@code='6'], 1, 3)"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:value-of select="@tag"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>

    <!-- keyword (Any): every subfield except linkage/control subfields -->
    <z:index name="Any:w">
      <xsl:for-each select="m:subfield[not(@code='6' or @code='8' or @code='0' or @code='5')]">
        <xsl:value-of select="."/>
        <xsl:text> </xsl:text>
      </xsl:for-each>
    </z:index>

    <xsl:choose>
      <!-- titles -->
      <xsl:when test="$tag = '245'">
        <xsl:call-template name="emit">
          <xsl:with-param name="names" select="'Title:w Title:p'"/>
          <xsl:with-param name="codes" select="'abfgknps'"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$tag = '130' or $tag = '240' or $tag = '242' or $tag = '243'
                      or $tag = '246' or $tag = '247' or $tag = '730' or $tag = '740'">
        <xsl:call-template name="emit">
          <xsl:with-param name="names" select="'Title:w Title:p'"/>
          <xsl:with-param name="codes" select="'abdfgklmnoprst'"/>
        </xsl:call-template>
      </xsl:when>
      <!-- series -->
      <xsl:when test="$tag = '440' or $tag = '490' or $tag = '830'">
        <xsl:call-template name="emit">
          <xsl:with-param name="names" select="'Title:w Title-series:w Title-series:p'"/>
          <xsl:with-param name="codes" select="'anpv'"/>
        </xsl:call-template>
        <xsl:call-template name="emit">
          <xsl:with-param name="names" select="'ISSN:w'"/>
          <xsl:with-param name="codes" select="'x'"/>
        </xsl:call-template>
      </xsl:when>
      <!-- names (main and added entries, series added entries) -->
      <xsl:when test="$tag = '100' or $tag = '110' or $tag = '111'
                      or $tag = '700' or $tag = '710' or $tag = '711' or $tag = '720'">
        <xsl:call-template name="emit">
          <xsl:with-param name="names" select="'Author:w Author:p'"/>
          <xsl:with-param name="codes" select="'abcdegjnqu'"/>
        </xsl:call-template>
        <xsl:call-template name="emit">
          <xsl:with-param name="names" select="'Title:w'"/>
          <xsl:with-param name="codes" select="'t'"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$tag = '800' or $tag = '810' or $tag = '811'">
        <xsl:call-template name="emit">
          <xsl:with-param name="names" select="'Author:w'"/>
          <xsl:with-param name="codes" select="'abcdegjnqu'"/>
        </xsl:call-template>
        <xsl:call-template name="emit">
          <xsl:with-param name="names" select="'Title:w Title-series:w'"/>
          <xsl:with-param name="codes" select="'tnpv'"/>
        </xsl:call-template>
      </xsl:when>
      <!-- subjects -->
      <xsl:when test="starts-with($tag, '6')">
        <xsl:call-template name="emit">
          <xsl:with-param name="names" select="'Subject-heading:w Subject-heading:p'"/>
          <xsl:with-param name="codes" select="'abcdefghjklmnopqrstuvxyz'"/>
        </xsl:call-template>
      </xsl:when>
      <!-- standard numbers -->
      <xsl:when test="$tag = '020'">
        <xsl:call-template name="emit">
          <xsl:with-param name="names" select="'ISBN:w'"/>
          <xsl:with-param name="codes" select="'a'"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$tag = '022'">
        <xsl:call-template name="emit">
          <xsl:with-param name="names" select="'ISSN:w'"/>
          <xsl:with-param name="codes" select="'a'"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$tag = '010'">
        <xsl:call-template name="emit">
          <xsl:with-param name="names" select="'Local-number:w'"/>
          <xsl:with-param name="codes" select="'a'"/>
        </xsl:call-template>
      </xsl:when>
      <!-- languages of text, summary, translation: older records string several
           codes together in one subfield ("engfre"), so split into 3-letter codes -->
      <xsl:when test="$tag = '041'">
        <xsl:for-each select="m:subfield[@code='a' or @code='b' or @code='d' or @code='h']">
          <xsl:call-template name="language-codes">
            <xsl:with-param name="codes" select="translate(normalize-space(.), ' ', '')"/>
          </xsl:call-template>
        </xsl:for-each>
      </xsl:when>
      <!-- publisher -->
      <xsl:when test="$tag = '260' or $tag = '264'">
        <xsl:call-template name="emit">
          <xsl:with-param name="names" select="'Publisher:w'"/>
          <xsl:with-param name="codes" select="'b'"/>
        </xsl:call-template>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- One Code-language term per 3-letter code in $codes. -->
  <xsl:template name="language-codes">
    <xsl:param name="codes"/>
    <xsl:if test="string-length($codes) &gt;= 3">
      <z:index name="Code-language:w">
        <xsl:value-of select="substring($codes, 1, 3)"/>
      </z:index>
      <xsl:call-template name="language-codes">
        <xsl:with-param name="codes" select="substring($codes, 4)"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- Emit one z:index element holding the subfields whose codes are in $codes. -->
  <xsl:template name="emit">
    <xsl:param name="names"/>
    <xsl:param name="codes"/>
    <xsl:variable name="subs" select="m:subfield[contains($codes, @code) and string-length(@code) = 1]"/>
    <xsl:if test="$subs">
      <z:index name="{$names}">
        <xsl:for-each select="$subs">
          <xsl:if test="position() &gt; 1">
            <xsl:text> </xsl:text>
          </xsl:if>
          <xsl:value-of select="."/>
        </xsl:for-each>
      </z:index>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
