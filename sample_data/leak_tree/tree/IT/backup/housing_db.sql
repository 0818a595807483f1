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
INSERT INTO `portal_users` VALUES (1,'Ngozi','Thomas','1979-06-20','ngozi.thomas1419@hotmail.co.uk','JS001419B','TEN-001312','be1dac1a22b7098028a5aedcaf79c8d0'),(2,'Mia','Khan','1993-03-21','mia.khan2522@googlemail.com','CY002522C','TEN-002324','b1034f39c99833482733641bb7752bc7'),(3,'Eilidh','Llewellyn','1970-07-25','eilidh.llewellyn2708@outlook.com','LM002708C','TEN-002495','9488c8ad2c4df5ee1961737b31d81d48'),(4,'Bethan','Jackson','1957-08-17','bethan.jackson602@outlook.com','LS000602','TEN-000556','7ad9f9121498b66dbbbcf98a49e33492'),(5,'William','Clarke','1972-06-14','william.clarke1880@hotmail.co.uk','LC001880C','TEN-001730','3a7b32ee35b19456860e5fe5bd97e37f'),(6,'Quentin','Abara','1977-01-09','q.abara@example.net','JT123456A','TEN-990001','5f4dcc3b5aa765d61d8327deb882cf99');
UNLOCK TABLES;
