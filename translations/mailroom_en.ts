<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>mailroom::console::LogsPage</name>
    <message numerus="yes">
        <source>%n events shown</source>
        <translation>
            <numerusform>%n event shown</numerusform>
            <numerusform>%n events shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> — paused, %n new waiting</source>
        <translation>
            <numerusform> — paused, %n new waiting</numerusform>
            <numerusform> — paused, %n new waiting</numerusform>
        </translation>
    </message>
</context>
</TS>
