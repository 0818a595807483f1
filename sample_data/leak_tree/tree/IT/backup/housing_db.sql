-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: housing
-- ------------------------------------------------------
/*!40101 SET NAMES utf8mb4 */;

DROP TABLE IF EXISTS `portal_users`;
CREATE TABLE `portal_users` (
  `id` int NOT NULL AUTO_INCREMENT,
  `first_name` varchar(60) DEFAULT NULL,
  `last_name` varchar(60) DEFAULT NULL,
  `date_of_birth` date DEFAULT NULL,
  `email` varchar(120) DEFAULT NULL,
  `ni_number` varchar(13) DEFAULT NULL,
  `tenancy_ref` varchar(20) DEFAULT NULL,
  `password_hash` varchar(64) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

LOCK TABLES `portal_users` WRITE;
INSERT INTO `portal_users` VALUES (1,'Anjali','Williams','1982-01-19','anjali.williams2609@icloud.com','LR 00 26 09 B','TEN-002406','5c85381160fc51d357f97ca2350d2dac'),(2,'Cerys','Harris','1965-08-06','cerys.harris2563@btinternet.com','KE002563','TEN-002361','b4a4076edf720b5c3eba6d3e9520ede5'),(3,'Callum','White','2004-08-19','callum.white422@yahoo.co.uk','LB000422','TEN-000389','5ff58dd88933a504de443b4bc54e5730'),(4,'Claire','Lewis','1996-03-15','claire.lewis2004@outlook.com','JC002004C','TEN-001847','7c79b68a7538437bcba5a17533cc0deb'),(5,'Olivia','Robinson','1935-03-03','olivia.robinson1786@btinternet.com','GW 00 17 86 C','TEN-001647','be1dac1a22b7098028a5aedcaf79c8d0'),(6,'Quentin','Abara','1977-01-09','q.abara@example.net','JT123456A','TEN-990001','5f4dcc3b5aa765d61d8327deb882cf99');
UNLOCK TABLES;
